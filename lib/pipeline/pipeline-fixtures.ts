import { appendEvents } from '@/lib/event-store/append-events';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { takeStore, type Lease } from '@/lib/event-store/store-status';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import type { MeterGraph } from '@/lib/meters/graph';
import { chain, node } from '@/lib/meters/fixtures';
import { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';
import type { RecordError, RunProgress, RunScope } from '@/lib/runs/types';
import { makeWorkspace, unique } from '@/lib/testing/factories';

/**
 * The engine's test world: a workspace with a `usage` source store (id, at, customer, units) and a `billed`
 * target store (the same plus `doubled`), the chain Event Store → Filter (units > 2) → Map (doubled =
 * units * 2) → Event Store, and deps that record what the engine reports.
 */
export async function makeReplayWorld() {
  const prisma = getPrisma();
  const workspace = await makeWorkspace();
  const fields = [
    { name: 'id', type: 'string', required: true, description: '' },
    { name: 'at', type: 'datetime', required: true, description: '' },
    { name: 'customer', type: 'string', required: true, description: '' },
    { name: 'units', type: 'integer', required: true, description: '' },
  ];
  const definition = (name: string, extra: typeof fields = []) =>
    prisma.eventDefinition.create({ data: { workspaceId: workspace.id, name: unique(name), eventIdField: 'id', eventTimeField: 'at', fields: [...fields, ...extra] } });
  const usage = await definition('usage');
  const billed = await definition('billed', [{ name: 'doubled', type: 'number', required: true, description: '' }]);
  const source = await prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: usage.id, name: unique('usage') } });
  const target = await prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: billed.id, name: unique('billed') } });
  const graph: MeterGraph = chain([
    node('source', 'source.eventStore', { storeId: source.id }),
    node('filter', 'processor.filter', { condition: 'units > 2' }, 'Big usage'),
    node('map', 'processor.map', { keep: 'all', fields: [{ name: 'doubled', expression: 'units * 2' }] }),
    node('target', 'target.eventStore', { storeId: target.id, mapping: { id: 'id', at: 'at', customer: 'customer', units: 'units', doubled: 'doubled' } }),
  ]);
  const meter = await prisma.meter.create({ data: { workspaceId: workspace.id, name: unique('meter'), createdBy: 'test', updatedBy: 'test' } });
  return { workspace, source, target, graph, meter, context: await loadMeterContext(workspace.id) };
}
export type ReplayWorld = Awaited<ReturnType<typeof makeReplayWorld>>;

/** Usage event number i: a minute apart from 2026-01-01, units cycling 0..5, so units > 2 keeps half. */
export const usageEvent = (i: number, customer = `C${i % 3}`): ValidEvent => {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  return { eventId: `e${String(i).padStart(5, '0')}`, eventTime: at, payload: { id: `e${String(i).padStart(5, '0')}`, at: at.toISOString(), customer, units: i % 6 } };
};

export async function seedUsage(world: ReplayWorld, from: number, to: number): Promise<void> {
  const events = Array.from({ length: to - from }, (_, k) => usageEvent(from + k));
  await appendEvents(getPool(), world.source.id, events);
}

export function replayRun(world: ReplayWorld, scope: RunScope, overrides: Partial<PipelineRun> = {}): PipelineRun {
  return { id: unique('run'), workspaceId: world.workspace.id, meterId: world.meter.id, graph: world.graph, context: world.context, scope, dryRun: false, errorPolicy: 'skip', ...overrides };
}

/** Deps holding a fresh lease on the target store; what the engine reports lands in `progress` and `errors`. */
export async function replayDeps(world: ReplayWorld, overrides: Partial<PipelineDeps> = {}) {
  const lease = (await takeStore(getPool(), world.target.id, 'writing', 'test run')) as Lease;
  const seen = { progress: [] as RunProgress[], errors: [] as RecordError[] };
  const deps: PipelineDeps = {
    pool: getPool(),
    leases: new Map([[world.target.id, lease]]),
    signal: new AbortController().signal,
    onProgress: (p) => void seen.progress.push(p),
    onRecordErrors: (e) => void seen.errors.push(...e),
    ...overrides,
  };
  return { deps, lease, seen };
}

/** The target store's events (id, time, payload) in id order. */
export async function storedEvents(storeId: string) {
  const { rows } = await getPool().query<{ event_id: string; event_time: Date; payload: Record<string, unknown> }>(
    `SELECT event_id, event_time, payload FROM events WHERE store_id = $1 ORDER BY event_id`,
    [storeId],
  );
  return rows;
}

/** The usage fields as a File upload or HTTP ingest source declares them. */
export const USAGE_FIELDS = [
  { name: 'id', type: 'string' as const, required: true },
  { name: 'at', type: 'datetime' as const, required: true },
  { name: 'customer', type: 'string' as const, required: true },
  { name: 'units', type: 'integer' as const, required: true },
];

/** The world's chain with its Event Store source replaced by `source` (same id, so edges stay). */
export function withSource(world: ReplayWorld, kind: 'source.fileUpload' | 'source.httpIngest', config: unknown): MeterGraph {
  return { ...world.graph, nodes: world.graph.nodes.map((n) => (n.id === 'source' ? node('source', kind, config) : n)) };
}
