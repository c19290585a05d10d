import { z } from 'zod';
import type { FlowRecord } from '@/lib/meters/flow-schema';

/**
 * The contract between the run action (lib/runs), the engine (lib/pipeline), the worker, the REST API and
 * the UI (components/runs). Framework-free and importable in the browser.
 */

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

// Years 1 to 9999 in UTC: year 0 (which ISO allows) and an offset pushing 9999-12-31 into year 10000 are
// times PostgreSQL refuses to parse, so the estimate and the run would fail on them.
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const instant = z.iso
  .datetime({ offset: true, error: 'Enter the time as an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z.' })
  .refine((text) => Date.parse(text) >= FIRST_INSTANT && Date.parse(text) <= LAST_INSTANT, { message: 'Enter a time from the year 1 to 9999 (UTC).' });

/** Whether the runtime knows this IANA time zone (an unknown one would show the frame as NaN everywhere). */
function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// PostgreSQL's text and jsonb refuse NUL and half a surrogate pair; control characters have no place in a name.
const UNSTORABLE = /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (what: string) => [(text: string) => !UNSTORABLE.test(text), { message: `${what} contains a control character or broken Unicode; remove it.` }] as const;

/**
 * What a run reads:
 * - `all`: every event of the Event Store source(s), all time;
 * - `frame`: events whose event time is in [from, to) (instants; `timeZone` is the zone the user chose
 *   them in, kept to show them back the same way);
 * - `file`: the file uploaded with the run (meter_run_inputs), for a File-upload source;
 * - `live`: an HTTP-ingest meter started: it takes what arrives until stopped.
 */
export const runScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z
    .object({
      kind: z.literal('frame'),
      from: instant,
      to: instant,
      timeZone: z.string().min(1).max(64).refine(knownTimeZone, { message: 'Choose a known IANA time zone, e.g. UTC or Europe/Berlin.' }).default('UTC'),
    })
    .refine((s) => Date.parse(s.from) < Date.parse(s.to), { message: 'The start must be before the end.', path: ['to'] }),
  z.object({ kind: z.literal('file'), fileName: z.string().min(1).max(255).refine(...storable('The file name')) }),
  z.object({ kind: z.literal('live') }),
]);
export type RunScope = z.output<typeof runScopeSchema>;

export const RECORD_ERROR_POLICIES = ['skip', 'stop'] as const;
export type RecordErrorPolicy = (typeof RECORD_ERROR_POLICIES)[number];

/** Idempotency keys: the dialog makes one per opening; REST clients send their own. */
export const idempotencyKeySchema = z
  .string({ error: 'Send an idempotency key (any unique text, e.g. a UUID).' })
  .min(8, 'The idempotency key must be 8 to 200 characters.')
  .max(200, 'The idempotency key must be 8 to 200 characters.')
  .refine(...storable('The idempotency key'));

/** Input of the run action and of POST /api/v1/runs (the file of a file scope travels beside it). */
export const startRunSchema = z.object({
  meterId: z.uuid({ error: 'Choose a meter.' }),
  /** The version to run; the meter's latest when omitted. */
  version: z.number().int().min(1).optional(),
  scope: runScopeSchema,
  dryRun: z.boolean().default(false),
  errorPolicy: z.enum(RECORD_ERROR_POLICIES).default('skip'),
  idempotencyKey: idempotencyKeySchema,
});
export type StartRunInput = z.input<typeof startRunSchema>;

/** How many source events a scope holds, and how long a run should take. */
export interface RunEstimate {
  events: number;
  /** `exact`: a count; `planner`: PostgreSQL's estimate (shown as "about"); `unknown`: a file or live source. */
  kind: 'exact' | 'planner' | 'unknown';
  /** Events per second measured on this installation (recent completed runs), or null before the first. */
  eventsPerSecond: number | null;
  /** events / eventsPerSecond, or null. */
  seconds: number | null;
  /** Earliest and latest event times of the source store(s), for the range picker's hint (ISO), or null when empty. */
  earliest: string | null;
  latest: string | null;
  /** Set for Business Events sources: earliest and latest are then change times of business events. */
  source?: 'businessEvents';
}

/** Counts of one node so far. `dropped`: let go on purpose (Filter false, Deduplicate repeat). */
export interface NodeCounts {
  in: number;
  out: number;
  dropped: number;
  rejected: number;
}

/** What a target did (or, in a dry run, would do). `unchanged` is known in dry runs only; `sent` for webhooks. */
export interface TargetCounts {
  inserted: number;
  replaced: number;
  unchanged: number;
  sent: number;
}

/** Written by the worker as the run goes (meter_runs.progress), read by the run page once a second. */
export interface RunProgress {
  /** Source events read so far. */
  read: number;
  nodes: Record<string, NodeCounts>;
  /** Records that went along each edge. */
  edges: Record<string, number>;
  targets: Record<string, TargetCounts>;
  /** Aggregate windows cut by the scope's start or end (emitted with partial = true). */
  partialWindows: number;
}

export const emptyProgress = (): RunProgress => ({ read: 0, nodes: {}, edges: {}, targets: {}, partialWindows: 0 });

/** A record a node refused. */
export interface RecordError {
  nodeId: string;
  reason: string;
  record: FlowRecord;
}

/** Records kept per run in meter_run_errors (all are counted in error_count). */
export const MAX_KEPT_RECORD_ERRORS = 10_000;

export interface DryRunChange {
  change: 'insert' | 'replace';
  /** The event id or usage-record unique key. */
  key: string;
  before?: FlowRecord;
  after: FlowRecord;
}

/** Per target of a dry run: what a real run would insert, replace or leave unchanged, with up to 20 samples. */
export interface DryRunReport {
  targets: Record<string, { name: string; inserted: number; replaced: number; unchanged: number; sent: number; samples: DryRunChange[] }>;
}

/** A run as the UI and REST show it. */
export interface RunView {
  id: string;
  meterId: string;
  meterName: string;
  meterVersion: number;
  scope: RunScope;
  dryRun: boolean;
  errorPolicy: RecordErrorPolicy;
  status: RunStatus;
  createdAt: string;
  createdBy: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
  estimate: RunEstimate | null;
  progress: RunProgress;
  report: DryRunReport | null;
  errorCount: number;
  failure: string | null;
  /** Target stores with their names (for "writing to …"). */
  targets: { storeId: string; storeName: string }[];
}
