import { randomUUID } from 'node:crypto';
import { createApiKey } from '@/lib/api-keys/manage-api-keys';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { benchChanges, benchTriggers, CHANGE_BENCH_OBJECTS, type BenchChange, type BenchTrigger } from '@/lib/bench/generate-changes';
import { loadRouteHandler } from '@/lib/bench/ingest-suite';
import { cpuPerItem, cpuSnapshot } from '@/lib/bench/process-cpu';
import { post, serveRoute } from '@/lib/bench/serve-route';
import type { BenchContext, Figure, Suite } from '@/lib/bench/types';
import { conditionContext } from '@/lib/custom-events/changes/object-change';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import { sweepUnprocessedChanges, startChangeWorkers } from '@/lib/custom-events/streaming/change-stream';
import { deleteStreams, openStreaming, setProcessStreaming } from '@/lib/custom-events/streaming/nats';
import { startOutboxRelay } from '@/lib/custom-events/streaming/outbox';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { compile } from '@/lib/expressions/compile';

export interface ChangesSizes {
  changes: number;
  /** Active triggers, spread evenly over the five objects. */
  triggers: number;
  /** Records per object the changes are about. */
  records: number;
  /** Changes per POST (the API's maximum is 1,000). */
  requestSize: number;
  /** POSTs in flight at once. */
  concurrency: number;
}

export const CHANGES_SIZES: ChangesSizes = { changes: 200_000, triggers: 100, records: 2_000, requestSize: 1_000, concurrency: 4 };

export const OBJECT_CHANGES_ROUTE_FILE = 'app/api/v1/object-changes/route.ts';

const SUITE = 'changes';
const UNIT = 'changes/s';
const TARGET = { min: 20_000, rule: 'at least 20,000 on 2 cores' };

export interface ChangesFixture {
  scope: WorkspaceScope;
  apiKey: string;
  triggers: BenchTrigger[];
}

export interface ChangesOptions extends Partial<ChangesSizes> {
  /** The NATS server of the JetStream figures; NATS_URL by default; null: skip them. */
  natsUrl?: string | null;
  /** Called after the measurements, before the bench's workspace is deleted (tests look at what landed). */
  beforeCleanup?: (fixture: ChangesFixture) => Promise<void>;
}

/**
 * Suite `changes`: object changes in, business events out. `api-to-business-events` POSTs the changes in
 * batches of 1,000 to the Object Changes route over real HTTP (a few requests in flight, API key auth), and
 * the route stores each batch and evaluates what waits, as it does in the console; the clock stops when every
 * change is processed. `evaluate-only` then queues the same stored changes again (their business events
 * deleted) and times processChanges alone: read, evaluate against the active triggers, store the business
 * events (with whatever storeBusinessEvents writes beside them), mark processed. Both check the number of
 * business events against the conditions evaluated on the changes in memory. With NATS_URL set, the same
 * two figures through JetStream, suffixed `-nats` (see measureNats); skipped (null, with a note) without it.
 */
export function changesSuite(options: ChangesOptions = {}): Suite {
  const sizes: ChangesSizes = { ...CHANGES_SIZES, ...options };
  return {
    name: SUITE,
    description: `${sizes.triggers} active triggers over ${CHANGE_BENCH_OBJECTS.length} objects, ${sizes.changes.toLocaleString('en')} changes: API to business events, and evaluation alone`,
    async run(context) {
      const fixture = await createFixture(context, sizes.triggers);
      const fixtures = [fixture];
      try {
        context.log(`${SUITE}: generating ${sizes.changes.toLocaleString('en')} changes`);
        const changes = benchChanges(sizes.changes, sizes.records);
        const expected = expectedEvents(changes, fixture.triggers);
        context.log(`${SUITE}: the triggers match ${expected.toLocaleString('en')} times`);
        // PostgreSQL alone first, whatever NATS_URL says.
        setProcessStreaming('off');
        const figures = [await measureApi(context, fixture, changes, sizes, expected), await measureEvaluateOnly(context, fixture, sizes.changes, expected)];
        setProcessStreaming(null);
        const natsUrl = options.natsUrl === undefined ? process.env.NATS_URL : options.natsUrl;
        if (natsUrl) figures.push(...(await measureNats(context, natsUrl, changes, sizes, expected, (f) => fixtures.push(f))));
        else figures.push(...NATS_FIGURES.map((name) => ({ suite: SUITE, name, value: null, unit: UNIT, note: 'skipped: set NATS_URL (e.g. nats://127.0.0.1:4222) to measure the JetStream path' })));
        await options.beforeCleanup?.(fixture);
        return figures;
      } finally {
        setProcessStreaming(null);
        for (const f of fixtures) await context.pool.query('DELETE FROM workspaces WHERE id = $1', [f.scope.workspaceId]);
      }
    },
  };
}

async function createFixture({ prisma }: BenchContext, triggerCount: number): Promise<ChangesFixture> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const workspace = await prisma.workspace.create({ data: { slug: `bench-changes-${suffix}`, name: `Bench changes ${suffix}` } });
  const scope: WorkspaceScope = { workspaceId: workspace.id, workspaceName: workspace.name, role: null, actor: { type: 'api_key', id: 'bench', label: 'npm run bench' } };
  try {
    const triggers = benchTriggers(triggerCount);
    for (const trigger of triggers) await createTrigger(prisma, scope, trigger);
    const { key } = await createApiKey(prisma, scope, { name: 'bench', scopes: ['object-changes:write'] });
    return { scope, apiKey: key, triggers };
  } catch (error) {
    await prisma.workspace.delete({ where: { id: workspace.id } }).catch(() => undefined);
    throw error;
  }
}

/** How many business events the triggers make of the changes: each condition evaluated on each change of its object. */
export function expectedEvents(changes: readonly BenchChange[], triggers: readonly BenchTrigger[]): number {
  const tests = triggers.map((t) => ({ object: t.baseObject, test: compile(t.condition, conditionSchemaFor(t.baseObject)) }));
  let count = 0;
  for (const change of changes) {
    const context = conditionContext({ ...change, current: change.current ?? {}, previous: change.previous ?? {} });
    for (const { object, test } of tests) if (object === change.object && test(context) === true) count += 1;
  }
  return count;
}

async function measureApi(context: BenchContext, fixture: ChangesFixture, changes: BenchChange[], sizes: ChangesSizes, expected: number, suffix = '', drain = drainPostgres): Promise<Figure> {
  const name = `api-to-business-events${suffix}`;
  const handler = await loadRouteHandler(OBJECT_CHANGES_ROUTE_FILE);
  if (!handler) throw new Error(`${SUITE}: ${OBJECT_CHANGES_ROUTE_FILE} does not export POST`);
  const bodies: Buffer[] = [];
  for (let i = 0; i < changes.length; i += sizes.requestSize) bodies.push(Buffer.from(JSON.stringify(changes.slice(i, i + sizes.requestSize))));
  const server = await serveRoute(handler, /^\/api\/v1\/object-changes$/);
  try {
    const url = `${server.origin}/api/v1/object-changes`;
    const headers = { authorization: `Bearer ${fixture.apiKey}`, 'content-type': 'application/json' };
    const figure = await timed(context, name, changes.length, async () => {
      // The requests go in order, `concurrency` at a time: a record's changes keep their order across batches.
      let nextBody = 0;
      const send = async () => {
        while (nextBody < bodies.length) await postChanges(url, headers, bodies[nextBody++]!);
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: sizes.concurrency }, send));
      context.log(`${SUITE}: ${name}: every request answered after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await drain(context, fixture);
    });
    await checkOutcome(context, fixture, changes.length, expected, name);
    return figure;
  } finally {
    await server.close();
  }
}

const ALL_TAKEN = /^\{"accepted":\d+,"duplicates":\d+,"rejected":0,/;

async function postChanges(url: string, headers: Record<string, string>, body: Buffer): Promise<void> {
  const { status, text } = await post(url, headers, body);
  if (status !== 200) throw new Error(`${SUITE}: the route answered ${status}: ${text.slice(0, 300)}`);
  // The answer lists every change (some 80 KB a request). This client shares the server's process and its
  // CPU, which a real sender would not: when the answer's head says nothing was rejected, that is all it needs.
  if (ALL_TAKEN.test(text)) return;
  const answer = JSON.parse(text) as { rejected: number; rejections: unknown[] };
  if (answer.rejected) throw new Error(`${SUITE}: the route rejected ${answer.rejected} changes, e.g. ${JSON.stringify(answer.rejections[0])}`);
}

// Each request evaluates what waits; whatever a failed evaluation left is taken here (normally nothing).
async function drainPostgres(context: BenchContext, fixture: ChangesFixture): Promise<void> {
  await processChanges(context.pool, fixture.scope.workspaceId);
}

async function measureEvaluateOnly(context: BenchContext, fixture: ChangesFixture, count: number, expected: number): Promise<Figure> {
  const name = 'evaluate-only';
  await unprocess(context, fixture);
  const figure = await timed(context, name, count, async () => {
    const report = await processChanges(context.pool, fixture.scope.workspaceId);
    if (report.changes !== count) throw new Error(`${SUITE}: ${name} evaluated ${report.changes} changes, expected ${count}`);
  });
  await checkOutcome(context, fixture, count, expected, name);
  return figure;
}

/** The workspace's changes back to waiting (queued again), their business events gone: evaluate-only starts from there. */
async function unprocess(context: BenchContext, fixture: ChangesFixture): Promise<void> {
  const { workspaceId } = fixture.scope;
  await context.pool.query('DELETE FROM business_events WHERE workspace_id = $1', [workspaceId]);
  await context.pool.query('INSERT INTO pending_object_changes (workspace_id, id) SELECT workspace_id, id FROM object_changes WHERE workspace_id = $1', [workspaceId]);
  await context.pool.query('VACUUM ANALYZE business_events');
  await context.pool.query('VACUUM ANALYZE pending_object_changes');
}

const NATS_FIGURES = ['api-to-business-events-nats', 'evaluate-only-nats'];

/**
 * The same two figures through NATS JetStream, in a workspace of their own, with streams of the bench's own
 * (deleted after): the route stores the changes and queues their messages in the outbox, which the relay publishes; change workers in this process (as in
 * the npm start server) consume the partitions and evaluate; the clock stops when every change is processed
 * and every business event announced (the outbox empty). evaluate-only-nats announces the stored changes
 * again (the sweep) and times their processing.
 */
async function measureNats(context: BenchContext, url: string, changes: BenchChange[], sizes: ChangesSizes, expected: number, keep: (fixture: ChangesFixture) => void): Promise<Figure[]> {
  const fixture = await createFixture(context, sizes.triggers);
  keep(fixture);
  const streaming = await openStreaming({ url, prefix: `bench${randomUUID().slice(0, 8)}`, partitions: Number(process.env.NATS_PARTITIONS ?? 8) });
  setProcessStreaming(streaming);
  const workers = await startChangeWorkers(streaming, context.pool);
  const relay = startOutboxRelay(streaming, context.pool, 200);
  try {
    const drain = (c: BenchContext, f: ChangesFixture) => drainNats(c, f, streaming.config.prefix);
    const api = await measureApi(context, fixture, changes, sizes, expected, '-nats', drain);
    await unprocess(context, fixture);
    const evaluate = await timed(context, 'evaluate-only-nats', changes.length, async () => {
      await sweepUnprocessedChanges(streaming, context.pool, 0, changes.length);
      await drain(context, fixture);
    });
    await checkOutcome(context, fixture, changes.length, expected, 'evaluate-only-nats');
    return [api, evaluate];
  } finally {
    await workers.stop();
    await relay.stop();
    setProcessStreaming(null);
    await deleteStreams(streaming);
  }
}

/**
 * Waits until every change of the workspace is processed and the outbox holds no message of the bench's
 * streams (their subjects start with its own prefix: no body is read, which would cost the figure a read
 * of every waiting message's JSON each time it asks).
 */
async function drainNats(context: BenchContext, fixture: ChangesFixture, prefix: string): Promise<void> {
  for (;;) {
    const { rows } = await context.pool.query<{ busy: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pending_object_changes WHERE workspace_id = $1)
           OR EXISTS (SELECT 1 FROM pending_change_batches WHERE workspace_id = $1)
           OR EXISTS (SELECT 1 FROM stream_outbox WHERE starts_with(subject, $2::text || '.')) AS busy`,
      [fixture.scope.workspaceId, prefix],
    );
    if (!rows[0]!.busy) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every change stored and processed, and exactly the expected business events stored. */
async function checkOutcome(context: BenchContext, fixture: ChangesFixture, changes: number, expected: number, what: string): Promise<void> {
  const { rows } = await context.pool.query<{ stored: number; waiting: number; events: number }>(
    `SELECT (SELECT count(*)::int FROM object_changes WHERE workspace_id = $1) AS stored,
            (SELECT count(*)::int FROM pending_object_changes WHERE workspace_id = $1)
              + (SELECT coalesce(sum(cardinality(ids)), 0)::int FROM pending_change_batches WHERE workspace_id = $1) AS waiting,
            (SELECT count(*)::int FROM business_events WHERE workspace_id = $1) AS events`,
    [fixture.scope.workspaceId],
  );
  const outcome = rows[0]!;
  if (outcome.stored !== changes || outcome.waiting !== 0 || outcome.events !== expected) {
    throw new Error(`${SUITE}: ${what}: ${outcome.stored} changes stored (expected ${changes}), ${outcome.waiting} not processed, ${outcome.events} business events (expected ${expected})`);
  }
}

/** Times `work` from a checkpoint and returns changes/s with the suite's target. */
async function timed(context: BenchContext, name: string, count: number, work: () => Promise<unknown>): Promise<Figure> {
  // What the earlier figures left (their dead rows: the queue emptied, the events deleted by unprocess) is
  // vacuumed before the clock starts, as it is written out (CHECKPOINT): a figure pays for its own work, not
  // for autovacuum cleaning up after the one before.
  await context.pool.query('VACUUM (ANALYZE) object_changes, pending_object_changes, pending_change_batches, business_events, stream_outbox');
  await context.pool.query('CHECKPOINT').catch(() => undefined);
  const cpuBefore = cpuSnapshot();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuPerItem(cpuBefore, cpuSnapshot(), count, 'change');
  const value = Math.round(count / seconds);
  context.log(`${SUITE}: ${name}: ${count.toLocaleString('en')} changes in ${seconds.toFixed(1)} s = ${value.toLocaleString('en')} ${UNIT}${cpu ? `; ${cpu}` : ''}`);
  return { suite: SUITE, name, value, unit: UNIT, target: TARGET, ...(cpu && { note: cpu }) };
}
