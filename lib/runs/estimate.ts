import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { getStoreStats } from '@/lib/event-store/store-stats';
import { businessEventsSpan } from '@/lib/pipeline/sources/business-events-source';
import { loadRunMeter } from '@/lib/runs/load-run-meter';
import { checkScopeFits, runShapeOf } from '@/lib/runs/run-shape';
import { runScopeSchema, type RunEstimate, type RunScope } from '@/lib/runs/types';

const HOUR_MS = 3_600_000;
/** Events past which the partial hours at a frame's edges are not counted one by one: the planner guesses. */
const EXACT_EDGE_LIMIT = 2_000_000;
/** Completed runs the rate is measured on. */
const RATE_SAMPLE_RUNS = 10;

/**
 * How many source events a run of the meter over `scope` reads, and how long that should take. All
 * time: the maintained store counts (exact, one primary-key read per store). A frame: the hourly
 * rollup for its whole hours plus an index count of the partial hours at its two edges (exact, and
 * bounded by two hours of events); when those two hours hold more than EXACT_EDGE_LIMIT events, the
 * planner's estimate for the frame instead, labelled as such. File and live scopes are unknown ahead.
 */
export async function estimateRun(workspaceId: string, input: { meterId: string; version?: number; scope: unknown }, db: pg.Pool = getPool()): Promise<RunEstimate> {
  const scope = runScopeSchema.parse(input.scope);
  const meter = await loadRunMeter(workspaceId, input.meterId, input.version);
  const shape = runShapeOf(meter.graph, meter.context);
  // A file scope is checked when it is started (with its file); business events take no file at all.
  if (scope.kind !== 'file' || shape.sourceKind === 'businessEvents') checkScopeFits(meter.name, shape, scope);
  if (shape.sourceKind === 'businessEvents') return estimateBusinessEvents(db, workspaceId, shape.sourceEventTypes, scope);
  const [eventsPerSecond, stats] = await Promise.all([measuredRate(db), getStoreStats(db, shape.sourceStores.map((s) => s.id))]);
  const spans = [...stats.values()];
  const earliest = minDate(spans.map((s) => s.earliest));
  const latest = maxDate(spans.map((s) => s.latest));
  const counted = await countInScope(db, scope, shape.sourceStores.map((s) => s.id), (id) => stats.get(id)?.eventCount ?? 0);
  const seconds = counted.kind !== 'unknown' && eventsPerSecond ? Math.ceil(counted.events / eventsPerSecond) : null;
  return { ...counted, eventsPerSecond, seconds, earliest: earliest?.toISOString() ?? null, latest: latest?.toISOString() ?? null };
}

/** Business Events sources: hints and an exact count over change time (lib/pipeline/sources/business-events-source.ts). */
async function estimateBusinessEvents(db: pg.Pool, workspaceId: string, types: string[], scope: RunScope): Promise<RunEstimate> {
  const range = scope.kind === 'frame' ? { from: new Date(scope.from), to: new Date(scope.to) } : {};
  const [eventsPerSecond, span] = await Promise.all([measuredRate(db), businessEventsSpan(db, workspaceId, types, range)]);
  const seconds = eventsPerSecond ? Math.ceil(span.events / eventsPerSecond) : null;
  return { events: span.events, kind: 'exact', eventsPerSecond, seconds, earliest: span.earliest?.toISOString() ?? null, latest: span.latest?.toISOString() ?? null, source: 'businessEvents' };
}

async function countInScope(db: pg.Pool, scope: RunScope, storeIds: string[], total: (id: string) => number): Promise<{ events: number; kind: RunEstimate['kind'] }> {
  if (scope.kind === 'file' || scope.kind === 'live') return { events: 0, kind: 'unknown' };
  if (scope.kind === 'all') return { events: storeIds.reduce((sum, id) => sum + total(id), 0), kind: 'exact' };
  const parts = await Promise.all(storeIds.map((id) => countFrame(db, id, Date.parse(scope.from), Date.parse(scope.to))));
  return { events: parts.reduce((sum, p) => sum + p.events, 0), kind: parts.some((p) => p.kind === 'planner') ? 'planner' : 'exact' };
}

/** Events of one store with event time in [from, to): whole hours from the rollup, the edges counted. */
async function countFrame(db: pg.Pool, storeId: string, from: number, to: number): Promise<{ events: number; kind: 'exact' | 'planner' }> {
  const firstWhole = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const wholeEnd = Math.floor(to / HOUR_MS) * HOUR_MS;
  const edges: [number, number][] = firstWhole >= wholeEnd ? [[from, to]] : [[from, firstWhole], [wholeEnd, to]].filter(([a, b]) => a! < b!) as [number, number][];
  const iso = (ms: number) => new Date(ms).toISOString();
  const edgeHours = edges.flatMap(([a, b]) => [Math.floor(a / HOUR_MS) * HOUR_MS, Math.floor((b - 1) / HOUR_MS) * HOUR_MS]);
  const { rows } = await db.query<{ whole: string | null; edge: string | null }>(
    `SELECT sum(event_count) FILTER (WHERE hour >= $2 AND hour < $3) AS whole,
            sum(event_count) FILTER (WHERE hour = ANY($4::timestamptz[])) AS edge
       FROM event_store_hours WHERE store_id = $1::uuid AND hour >= $5 AND hour < $6`,
    [storeId, iso(firstWhole), iso(wholeEnd), [...new Set(edgeHours)].map(iso), iso(Math.floor(from / HOUR_MS) * HOUR_MS), iso(to)],
  );
  const whole = firstWhole < wholeEnd ? Number(rows[0]?.whole ?? 0) : 0;
  if (Number(rows[0]?.edge ?? 0) > EXACT_EDGE_LIMIT) return { events: await plannedRows(db, storeId, iso(from), iso(to)), kind: 'planner' };
  let edgeCount = 0;
  for (const [a, b] of edges) {
    const counted = await db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE store_id = $1::uuid AND event_time >= $2 AND event_time < $3`, [storeId, iso(a), iso(b)]);
    edgeCount += Number(counted.rows[0]!.n);
  }
  return { events: whole + edgeCount, kind: 'exact' };
}

/** PostgreSQL's estimate of the rows in the frame (EXPLAIN, not executed). */
async function plannedRows(db: pg.Pool, storeId: string, from: string, to: string): Promise<number> {
  const { rows } = await db.query<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM events WHERE store_id = $1::uuid AND event_time >= $2::timestamptz AND event_time < $3::timestamptz`,
    [storeId, from, to],
  );
  return Math.round(rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows']);
}

/**
 * Source events per second of the installation's latest completed real runs (all workspaces: it is a
 * property of this machine and database, not of anyone's data), or null before the first.
 */
async function measuredRate(db: pg.Pool): Promise<number | null> {
  const { rows } = await db.query<{ read: string | null; seconds: number | null }>(
    `SELECT sum((progress->>'read')::bigint) AS read, sum(extract(epoch FROM finished_at - started_at))::float8 AS seconds
       FROM (SELECT progress, started_at, finished_at FROM meter_runs
              WHERE status = 'completed' AND NOT dry_run AND started_at IS NOT NULL AND finished_at > started_at
                AND (progress->>'read')::bigint > 0
              ORDER BY finished_at DESC LIMIT $1) recent`,
    [RATE_SAMPLE_RUNS],
  );
  const read = Number(rows[0]?.read ?? 0);
  const seconds = rows[0]?.seconds ?? 0;
  return read > 0 && seconds > 0 ? Math.round(read / seconds) : null;
}

const minDate = (dates: (Date | null)[]) => dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);
const maxDate = (dates: (Date | null)[]) => dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);
