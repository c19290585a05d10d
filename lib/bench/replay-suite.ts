import { spawn } from 'node:child_process';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { createBenchWorkspace } from '@/lib/bench/bench-workspace';
import { BENCH_DEFINITION, BENCH_SPAN_MS, BENCH_START } from '@/lib/bench/generate-events';
import type { ReplayJob, ReplayResult } from '@/lib/bench/replay-child';
import { LOAD_SQL } from '@/lib/bench/stores-suite';
import type { BenchContext, Figure } from '@/lib/bench/types';
import type { Suite } from '@/lib/bench/types';
import type { Prisma } from '@/lib/generated/prisma/client';
import { chain, node } from '@/lib/meters/fixtures';
import { appendEvents } from '@/lib/event-store/append-events';
import { eventStoreSource, pageQuery } from '@/lib/pipeline/sources/event-store-source';
import { maintainEvents, syncFilterIndexes } from '@/lib/event-store/filter-indexes';

export interface ReplaySizes {
  /** Events in the source store. */
  events: number;
  /** Events per INSERT … SELECT while loading the source. */
  loadBatch: number;
  /** The engine's page size (undefined: its default). */
  pageSize?: number;
}

export const REPLAY_SIZES: ReplaySizes = { events: 1_000_000, loadBatch: 100_000 };

const SUITE = 'replay';
const RATE = 'events/s';
const RSS_LIMIT_MB = 300;
/** The old-space cap a worker process should run with (node --max-old-space-size): see runChild. */
export const WORKER_HEAP_MB = 256;
const DAY_MS = 24 * 3600 * 1000;
/** The one-week frame: the fifth week of the bench's 90 days. */
const WEEK = { from: new Date(BENCH_START.getTime() + 28 * DAY_MS), to: new Date(BENCH_START.getTime() + 35 * DAY_MS) };

interface ReplayFixture {
  workspaceId: string;
  meterId: string;
  source: string;
  target: { id: string; name: string };
  /** Where the raw COPY lands. */
  scratch: string;
}

/**
 * Suite `replay`: the run engine end to end, as a worker runs it, on an Event Store of `events` events →
 * Filter (billable, about 90 %) → Map (a computed field) → Event Store. Figures: `all-time` and `one-week`
 * (source events read per second, each run in a child process of its own), `copy` (a raw COPY of the same
 * rows out of the store and back into events, through this process: the bound a replay, which also reads
 * and writes them, is held against), `append` (the same rows through appendEvents, the write path of an
 * Event Store target, without the engine) and `worker-peak-rss` (the larger child's peak RSS).
 */
export function replaySuite(options: Partial<ReplaySizes> = {}): Suite {
  const sizes: ReplaySizes = { ...REPLAY_SIZES, ...options };
  return {
    name: SUITE,
    description: `${sizes.events.toLocaleString('en')} events replayed through Filter → Map into another store`,
    async run(context) {
      // BENCH_REPLAY_KEEP=1 keeps the fixture for the next run and reuses a kept one (loading it takes minutes).
      const keep = process.env.BENCH_REPLAY_KEEP === '1';
      const kept = keep ? await findKeptFixture(context, sizes.events) : null;
      const fixture = kept ?? (await createFixture(context, keep ? sizes.events : null));
      let done = false;
      try {
        if (kept) await reuseFixture(context, kept);
        else await loadSource(context, fixture, sizes);
        await logPlan(context, fixture);
        const copy = await measureCopy(context, fixture, sizes.events);
        await removeCopy(context, fixture);
        const append = await measureAppend(context, fixture, sizes.events);
        await removeCopy(context, fixture);
        const allTime = await replay(context, fixture, sizes, 'all-time', { kind: 'all' });
        const oneWeek = await replay(context, fixture, sizes, 'one-week', { kind: 'frame', from: WEEK.from.toISOString(), to: WEEK.to.toISOString(), timeZone: 'UTC' });
        const min = Math.max(35_000, Math.round(0.7 * copy.value!));
        const rss = Math.max(allTime.result.maxRssMb, oneWeek.result.maxRssMb);
        done = true;
        return [
          { ...allTime.figure, target: { min, rule: '0.7x copy, at least 35,000' } },
          oneWeek.figure,
          copy,
          append,
          { suite: SUITE, name: 'worker-peak-rss', value: rss, unit: 'MB', note: `largest maxRSS of the two worker processes; target under ${RSS_LIMIT_MB} MB: ${rss < RSS_LIMIT_MB ? 'met' : 'NOT MET'}` },
        ];
      } finally {
        if (!(keep && (done || kept))) await context.pool.query('DELETE FROM workspaces WHERE id = $1', [fixture.workspaceId]);
      }
    },
  };
}

const KEPT_SLUG = 'bench-replay-kept';

/** `keptEvents`: the fixture is kept for later runs (its slug says its size), or null. */
async function createFixture({ prisma }: BenchContext, keptEvents: number | null): Promise<ReplayFixture> {
  const { workspace, definition } = await createBenchWorkspace(prisma, keptEvents === null ? 'bench-replay' : `${KEPT_SLUG}-${keptEvents}`, 'Bench replay');
  const targetFields = [...BENCH_DEFINITION.fields, { name: 'weighted', type: 'number', required: true, description: 'amount × 1.1' }];
  const targetDefinition = await prisma.eventDefinition.create({
    data: { workspaceId: workspace.id, name: 'bench-weighted', fields: targetFields as unknown as Prisma.InputJsonValue, eventIdField: 'id', eventTimeField: 'at' },
  });
  const source = await prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: definition.id, name: 'bench-replay-source' } });
  const target = await prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: targetDefinition.id, name: 'bench-replay-target' } });
  const scratch = await prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: definition.id, name: 'bench-replay-copy' } });
  const meter = await prisma.meter.create({ data: { workspaceId: workspace.id, name: 'bench-replay', createdBy: 'npm run bench', updatedBy: 'npm run bench' } });
  return { workspaceId: workspace.id, meterId: meter.id, source: source.id, target: { id: target.id, name: target.name }, scratch: scratch.id };
}

/** A fixture an earlier run kept (BENCH_REPLAY_KEEP=1) whose source holds `events` events, or null. */
async function findKeptFixture({ pool }: BenchContext, events: number): Promise<ReplayFixture | null> {
  const { rows } = await pool.query<{ workspace_id: string; meter_id: string; source: string; target: string; target_name: string; scratch: string }>(
    `SELECT w.id AS workspace_id, m.id AS meter_id, src.id AS source, tgt.id AS target, tgt.name AS target_name, scr.id AS scratch
       FROM workspaces w
       JOIN meters m ON m.workspace_id = w.id
       JOIN event_stores src ON src.workspace_id = w.id AND src.name = 'bench-replay-source'
       JOIN event_store_stats st ON st.store_id = src.id AND st.event_count = $2
       JOIN event_stores tgt ON tgt.workspace_id = w.id AND tgt.name = 'bench-replay-target'
       JOIN event_stores scr ON scr.workspace_id = w.id AND scr.name = 'bench-replay-copy'
      WHERE w.slug LIKE $1 LIMIT 1`,
    [`${KEPT_SLUG}-${events}-%`, events],
  );
  const r = rows[0];
  return r ? { workspaceId: r.workspace_id, meterId: r.meter_id, source: r.source, target: { id: r.target, name: r.target_name }, scratch: r.scratch } : null;
}

/** A kept fixture starts as a new one would: the target and the copy's store empty, their dead rows vacuumed. */
async function reuseFixture(context: BenchContext, fixture: ReplayFixture): Promise<void> {
  await context.pool.query('DELETE FROM events WHERE store_id = ANY($1::uuid[])', [[fixture.target.id, fixture.scratch]]);
  await maintainEvents(context.pool, 'VACUUM ANALYZE');
  // As a new fixture has them (createBenchWorkspace): a kept one may predate the current filter index.
  await syncFilterIndexes(context.pool, { waitForLock: true });
  context.log(`${SUITE}: reusing the kept source store (BENCH_REPLAY_KEEP=1), target emptied`);
}

function graphOf(fixture: ReplayFixture) {
  const mapping = Object.fromEntries([...BENCH_DEFINITION.fields.map((f) => f.name), 'weighted'].map((name) => [name, name]));
  return chain([
    node('source', 'source.eventStore', { storeId: fixture.source }),
    node('filter', 'processor.filter', { condition: 'billable' }),
    node('map', 'processor.map', { keep: 'all', fields: [{ name: 'weighted', expression: 'amount * 1.1' }] }),
    node('target', 'target.eventStore', { storeId: fixture.target.id, mapping }),
  ]);
}

async function loadSource(context: BenchContext, fixture: ReplayFixture, sizes: ReplaySizes): Promise<void> {
  const started = performance.now();
  for (let first = 0; first < sizes.events; first += sizes.loadBatch) {
    const last = Math.min(sizes.events, first + sizes.loadBatch) - 1;
    await context.pool.query(LOAD_SQL, [fixture.source, BENCH_START, BENCH_SPAN_MS / 1000, first, last]);
  }
  await maintainEvents(context.pool, 'ANALYZE');
  context.log(`${SUITE}: loaded ${sizes.events.toLocaleString('en')} source events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The engine's page query must seek the (store_id, event_time, event_id) index: the plan goes to the log. */
async function logPlan(context: BenchContext, fixture: ReplayFixture): Promise<void> {
  const query = pageQuery([fixture.source], {}, { time: WEEK.from, id: 'evt-', storeId: fixture.source }, 5_000);
  const { rows } = await context.pool.query<{ 'QUERY PLAN': string }>({ text: `EXPLAIN ${query.text}`, values: query.values });
  context.log(`${SUITE}: page plan: ${rows.map((r) => r['QUERY PLAN'].trim()).join(' | ')}`);
}

/**
 * A raw COPY of the source's rows into `events` itself, under a scratch store of the bench, streamed out of
 * the store and back in through this process. Into `events`, not a fresh table like it: a replay must write
 * there, where the source's events already fill the indexes (the GIN index on payload above all), and a
 * fresh table's empty indexes make a bound no writer into `events` can reach (measured: 30x cheaper per
 * batch). Its rows are removed again before the replays (removeCopy).
 */
async function measureCopy(context: BenchContext, fixture: ReplayFixture, events: number): Promise<Figure> {
  const { pool } = context;
  const reader = await pool.connect();
  const writer = await pool.connect();
  try {
    await pool.query('CHECKPOINT').catch(() => undefined);
    const started = performance.now();
    await pipeline(
      reader.query(copyTo(`COPY (SELECT '${fixture.scratch}'::uuid, event_id, event_time, payload FROM events WHERE store_id = '${fixture.source}' ORDER BY event_time, event_id) TO STDOUT`)),
      writer.query(copyFrom('COPY events (store_id, event_id, event_time, payload) FROM STDIN')),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1', [fixture.scratch]);
    if (rows[0]!.n !== events) throw new Error(`${SUITE}: copy landed ${rows[0]!.n} rows, expected ${events}`);
    const value = Math.round(events / seconds);
    context.log(`${SUITE}: copy: ${events.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${value.toLocaleString('en')} ${RATE}`);
    return { suite: SUITE, name: 'copy', value, unit: RATE, note: 'raw COPY of the source rows into events (a scratch store), the table the replay writes' };
  } finally {
    reader.release();
    writer.release();
  }
}

/**
 * The write path alone, without the engine: the source's pages (the engine's reader) appended as they are to
 * the scratch store with appendEvents, one batch after the other: the staging COPY and upsert a replay's
 * Event Store target does per batch. Shows how much of the gap to `copy` is the upsert rather than the engine.
 */
async function measureAppend(context: BenchContext, fixture: ReplayFixture, events: number): Promise<Figure> {
  await context.pool.query('CHECKPOINT').catch(() => undefined);
  const started = performance.now();
  let written = 0;
  for await (const batch of eventStoreSource(context.pool, [{ nodeId: 'source', storeId: fixture.source }], {})) {
    const rows = batch.records.get('source')!.map((payload) => ({ eventId: payload.id as string, eventTime: new Date(payload.at as string), payload }));
    written += (await appendEvents(context.pool, fixture.scratch, rows)).written;
  }
  const seconds = (performance.now() - started) / 1000;
  if (written !== events) throw new Error(`${SUITE}: append wrote ${written} rows, expected ${events}`);
  const value = Math.round(events / seconds);
  context.log(`${SUITE}: append: ${events.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${value.toLocaleString('en')} ${RATE}`);
  return { suite: SUITE, name: 'append', value, unit: RATE, note: 'the source pages appended as they are with appendEvents (staging COPY + upsert), no engine' };
}

/**
 * Takes the copied rows out again, and VACUUM takes their entries out of the indexes, so the replays start
 * with the indexes as the copy found them: both then write about a million rows into indexes that already
 * hold the source's million.
 */
async function removeCopy(context: BenchContext, fixture: ReplayFixture): Promise<void> {
  const started = performance.now();
  await context.pool.query('DELETE FROM events WHERE store_id = $1', [fixture.scratch]);
  await maintainEvents(context.pool, 'VACUUM');
  context.log(`${SUITE}: removed the copied rows and vacuumed events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function replay(context: BenchContext, fixture: ReplayFixture, sizes: ReplaySizes, name: string, scope: ReplayJob['scope']): Promise<{ figure: Figure; result: ReplayResult }> {
  await context.pool.query('CHECKPOINT').catch(() => undefined);
  const job: ReplayJob = { workspaceId: fixture.workspaceId, meterId: fixture.meterId, graph: graphOf(fixture), scope, target: fixture.target, pageSize: sizes.pageSize };
  const result = await runChild(job);
  const { read, nodes } = result.progress;
  const written = result.progress.targets.target!;
  if (nodes.target?.rejected) throw new Error(`${SUITE}: ${name}: the target refused ${nodes.target.rejected} records`);
  const value = Math.round(read / result.seconds);
  context.log(`${SUITE}: ${name}: ${read.toLocaleString('en')} events read, ${(written.inserted + written.replaced).toLocaleString('en')} written in ${result.seconds.toFixed(1)} s = ${value.toLocaleString('en')} ${RATE}, peak RSS ${result.maxRssMb} MB`);
  return { figure: { suite: SUITE, name, value, unit: RATE, note: `${read.toLocaleString('en')} events read; worker peak RSS ${result.maxRssMb} MB` }, result };
}

/**
 * Runs lib/bench/replay-child.ts under tsx in a new Node process, as a worker runs, and reads its one JSON
 * line. The heap is capped at WORKER_HEAP_MB, as workers should be: the engine's live set stays under about
 * 80 MB (three batches of 5,000 events), but an uncapped V8 lets garbage pile up to ~350 MB of RSS before it
 * collects; capped, it collects sooner at no measurable cost in speed.
 */
function runChild(job: ReplayJob): Promise<ReplayResult> {
  const file = path.resolve(process.cwd(), 'lib/bench/replay-child.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${WORKER_HEAP_MB}`, '--import', 'tsx', file, JSON.stringify(job)], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ReplayResult);
      else reject(new Error(`${SUITE}: the worker process exited with ${code}: ${err.slice(-2_000)}`));
    });
  });
}
