import { randomBytes } from 'node:crypto';
import { AppError } from '@/lib/errors';
import type { MeterGraph } from '@/lib/meters/graph';
import type { MeterContext } from '@/lib/meters/kind-spec';
import { storeRefsOf } from '@/lib/meters/store-refs';
import type { RunScope } from '@/lib/runs/types';

/** What a meter reads from, which decides the scopes a run of it may have. */
export type SourceKind = 'eventStore' | 'businessEvents' | 'file' | 'live';

/** The facts about a meter version that starting, estimating and running it need. */
export interface RunShape {
  sourceKind: SourceKind;
  /** Event stores read (Event Store sources). */
  sourceStores: { id: string; name: string }[];
  /** Business event types read (Business Events sources), sorted. */
  sourceEventTypes: string[];
  /** Event stores written: each is taken for writing for the length of a (non-dry) run. */
  targetStores: { id: string; name: string }[];
}

const SOURCE_KIND = { 'source.eventStore': 'eventStore', 'source.businessEvents': 'businessEvents', 'source.fileUpload': 'file', 'source.httpIngest': 'live' } as const;

/** The source kind and stores of a valid graph (validateMeter passed). */
export function runShapeOf(graph: MeterGraph, context: MeterContext): RunShape {
  const kinds = new Set(graph.nodes.flatMap((n) => (n.kind in SOURCE_KIND ? [SOURCE_KIND[n.kind as keyof typeof SOURCE_KIND]] : [])));
  if (kinds.size !== 1) {
    throw new AppError('RUN_SOURCES_MIXED', 'A run reads one kind of source: Event Stores, business events, a file, or HTTP ingest. Keep sources of one kind in this meter.', {
      status: 422,
    });
  }
  const named = (role: 'source' | 'target') =>
    storeRefsOf(graph)
      .filter((ref) => ref.role === role)
      .map((ref) => ({ id: ref.storeId, name: context.stores.get(ref.storeId)?.name ?? ref.storeId }))
      .sort((a, b) => a.id.localeCompare(b.id));
  const sourceEventTypes = [
    ...new Set(graph.nodes.flatMap((n) => (n.kind === 'source.businessEvents' ? [(n.config as { eventType: string }).eventType] : []))),
  ].sort();
  return { sourceKind: [...kinds][0]!, sourceStores: named('source'), sourceEventTypes, targetStores: named('target') };
}

/** Largest file a File-upload run accepts (kept in the database with the run until it ends). */
export const MAX_RUN_FILE_BYTES = 50 * 1024 * 1024;

const SCOPES_OF: Record<SourceKind, { kinds: RunScope['kind'][]; words: string }> = {
  eventStore: { kinds: ['all', 'frame'], words: 'reads Event Stores: choose All time or a time frame' },
  businessEvents: { kinds: ['all', 'frame'], words: 'reads business events: choose All time or a time frame (of change time)' },
  file: { kinds: ['file'], words: 'reads a file: choose the file to run it on' },
  live: { kinds: ['live'], words: 'takes records sent to its HTTP endpoint: start it instead of choosing a scope' },
};

/** Refuses a scope that does not fit the meter's source (or a file scope without a fitting file), in words. */
export function checkScopeFits(meterName: string, shape: RunShape, scope: RunScope, file?: { name: string; content: Buffer }): void {
  const fits = SCOPES_OF[shape.sourceKind];
  if (!fits.kinds.includes(scope.kind)) {
    throw new AppError('SCOPE_MISMATCH', `“${meterName}” ${fits.words}.`, { status: 422, fieldErrors: { scope: [`“${meterName}” ${fits.words}.`] } });
  }
  if (scope.kind !== 'file') {
    if (file) throw new AppError('UNEXPECTED_FILE', `“${meterName}” does not read a file; send the run without one.`, { status: 422, fieldErrors: { file: ['This meter does not read a file.'] } });
    return;
  }
  if (!file || file.content.length === 0) {
    throw new AppError('FILE_MISSING', 'Choose a file to run the meter on (it is empty or was not sent).', { status: 422, fieldErrors: { file: ['Choose a file.'] } });
  }
  if (file.content.length > MAX_RUN_FILE_BYTES) {
    const message = `The file “${file.name}” is ${(file.content.length / 1024 / 1024).toFixed(1)} MB; a run takes files of up to ${MAX_RUN_FILE_BYTES / 1024 / 1024} MB. Split it, or load it into an Event Store and run over that.`;
    throw new AppError('FILE_TOO_LARGE', message, { status: 413, fieldErrors: { file: [message] } });
  }
}

/** A UUID version 7 (time-ordered, so new runs land at the end of the primary key's index). */
export function newRunId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The run's short name in store labels and messages: its last 8 hex digits (the random part). */
export const shortRunId = (runId: string) => runId.slice(-8);

/** The label a run's store leases carry: shown to whoever finds the store busy. */
export const runLeaseLabel = (runId: string, meterName: string) => `run ${shortRunId(runId)} of ${meterName}`;
