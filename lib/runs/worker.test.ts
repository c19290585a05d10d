import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Workers here take runs from a queue of their own: other test files' queued runs stay queued.
process.env.RUN_QUEUE_NAME = `meter-run-test-${randomUUID().slice(0, 8)}`;
const { getPool } = await import('@/lib/db/pool');
const { disconnectPrisma, getPrisma } = await import('@/lib/db/prisma');
const { readActivity, takeStore } = await import('@/lib/event-store/store-status');
const { executeRun } = await import('@/lib/pipeline/execute-run');
const { cancelRun } = await import('@/lib/runs/cancel-run');
const { stopRunQueue } = await import('@/lib/runs/queue');
const { getRunView } = await import('@/lib/runs/read-runs');
const { runErrorsCsv } = await import('@/lib/runs/run-errors-csv');
const { runProgressSink } = await import('@/lib/runs/run-progress');
const { startRun } = await import('@/lib/runs/start-run');
const { MAX_KEPT_RECORD_ERRORS, FINAL_RUN_STATUSES } = await import('@/lib/runs/types');
const { startRunWorkers } = await import('@/lib/runs/worker');
const { scopeOf } = await import('@/lib/testing/factories');
const { eventually, makeCopyWorld, targetMatchesSource } = await import('@/lib/testing/run-world');

type Workers = Awaited<ReturnType<typeof startRunWorkers>>;
type PipelineRun = Parameters<typeof executeRun>[0];
type PipelineDeps = Parameters<typeof executeRun>[1];
let workers: Workers;
/** Runs of a meter described "slow" pause 200 ms after each batch of 100: long enough to cancel. */
const slowWhenAsked = async (run: PipelineRun, deps: PipelineDeps) => {
  const slow = (await getPrisma().meter.findUnique({ where: { id: run.meterId } }))?.description === 'slow';
  if (!slow) return executeRun(run, deps);
  return executeRun(run, { ...deps, onProgress: async (p) => (await deps.onProgress(p), new Promise((r) => setTimeout(r, 200))) }, { eventStore: { pageSize: 100 } });
};

beforeAll(async () => {
  workers = await startRunWorkers({ concurrency: 2, execute: slowWhenAsked, pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await workers.stop();
  await stopRunQueue();
  await disconnectPrisma();
});

const finalView = (workspaceId: string, runId: string) =>
  eventually(async () => {
    const view = await getRunView(workspaceId, runId);
    return view && FINAL_RUN_STATUSES.includes(view.status) ? view : undefined;
  }, 60_000, `run ${runId} to end`);
const activity = async (storeId: string) => (await readActivity(getPool(), storeId))!.activity;

describe('run workers', () => {
  it('run a queued run to completed: the target holds exactly the source, the store is idle again, audited', async () => {
    const world = await makeCopyWorld(3_000);
    const scope = scopeOf(world.tenant.workspace, world.tenant.editor, 'editor');
    const { runId } = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    const view = await finalView(world.tenant.workspace.id, runId);
    expect(view).toMatchObject({ status: 'completed', failure: null, errorCount: 0, progress: { read: 3_000 } });
    expect(view.startedAt).not.toBeNull();
    expect(await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).toEqual({ source: 3_000, target: 3_000, differing: 0 });
    expect(await activity(world.targetStoreId)).toBe('idle');
    const audit = await getPrisma().auditEvent.findFirst({ where: { targetId: runId, action: 'run.finished' } });
    expect(audit).toMatchObject({ actorLabel: world.tenant.editor.email, details: { status: 'completed', read: 3_000 } });
    const row = await getPool().query(`SELECT worker_id FROM meter_runs WHERE id = $1`, [runId]);
    expect(row.rows[0].worker_id).toBe(workers.workerId);

    // The same scope again leaves the target exactly as it was (replay replaces, never adds twice).
    const again = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    expect((await finalView(world.tenant.workspace.id, again.runId)).status).toBe('completed');
    expect(await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).toEqual({ source: 3_000, target: 3_000, differing: 0 });
  });

  it('cancel stops a running run between batches: cancelled, part written, store idle', async () => {
    // 50 batches of 100, 200 ms each: at least 10 s, twice the heartbeat that carries the cancel.
    const world = await makeCopyWorld(5_000);
    await getPrisma().meter.update({ where: { id: world.meter.id }, data: { description: 'slow' } });
    const scope = scopeOf(world.tenant.workspace, world.tenant.editor, 'editor');
    const { runId } = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    await eventually(async () => ((await getRunView(world.tenant.workspace.id, runId))!.progress.read > 0 ? true : undefined), 30_000, 'the run to read');
    expect(await cancelRun(scope, runId)).toEqual({ status: 'running' });
    const view = await finalView(world.tenant.workspace.id, runId);
    expect(view.status).toBe('cancelled');
    expect(view.failure).toMatch(/^Cancelled while it ran/);
    expect(view.progress.read).toBeLessThan(5_000);
    expect((await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).target).toBeLessThan(5_000);
    expect(await activity(world.targetStoreId)).toBe('idle');
  });

  it('takes a store again whose lease lapsed while the run was queued, and fails naming a holder who took it meanwhile', async () => {
    await workers.stop();
    const lapsed = await makeCopyWorld(100);
    const taken = await makeCopyWorld(100);
    const start = async (world: typeof lapsed) =>
      (await startRun(scopeOf(world.tenant.workspace, world.tenant.owner), { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() })).runId;
    const [lapsedRun, takenRun] = [await start(lapsed), await start(taken)];
    await getPool().query(`UPDATE event_stores SET lease_expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [[lapsed.targetStoreId, taken.targetStoreId]]);
    await takeStore(getPool(), taken.targetStoreId, 'deleting', 'backfill by erin');
    workers = await startRunWorkers({ concurrency: 2, execute: slowWhenAsked, pollingIntervalSeconds: 0.5 });
    expect((await finalView(lapsed.tenant.workspace.id, lapsedRun)).status).toBe('completed');
    expect(await targetMatchesSource(lapsed.sourceStoreId, lapsed.targetStoreId)).toMatchObject({ target: 100, differing: 0 });
    const refused = await finalView(taken.tenant.workspace.id, takenRun);
    expect(refused.status).toBe('failed');
    expect(refused.failure).toMatch(/is busy: a backfill is deleting events from it since .* \(“backfill by erin”\)/);
    expect((await targetMatchesSource(taken.sourceStoreId, taken.targetStoreId)).target).toBe(0);
    expect((await readActivity(getPool(), taken.targetStoreId))!.leaseOwner).toMatch(/:backfill by erin$/);
  });
});

describe('record errors', () => {
  it('are all counted, the first MAX_KEPT_RECORD_ERRORS kept, and download as CSV', async () => {
    const world = await makeCopyWorld(0);
    const { runId } = await startRun(scopeOf(world.tenant.workspace, world.tenant.owner), { meterId: world.meter.id, scope: { kind: 'all' }, dryRun: true, idempotencyKey: randomUUID() });
    const sink = runProgressSink(getPool(), runId, 'test');
    const error = (i: number) => ({ nodeId: 'keep', reason: i === 0 ? '=1+1 says "no"' : `reason ${i}`, record: { id: `r${i}`, n: i } });
    await sink.onRecordErrors(Array.from({ length: MAX_KEPT_RECORD_ERRORS - 2 }, (_, i) => error(i)));
    await sink.onRecordErrors(Array.from({ length: 5 }, (_, i) => error(MAX_KEPT_RECORD_ERRORS - 2 + i)));
    expect((await getRunView(world.tenant.workspace.id, runId))!.errorCount).toBe(MAX_KEPT_RECORD_ERRORS + 3);
    let csv = '';
    for await (const chunk of runErrorsCsv(getPool(), runId)) csv += chunk;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(MAX_KEPT_RECORD_ERRORS + 1);
    expect(lines[0]).toBe('node,reason,record');
    // The record as PostgreSQL's jsonb gives it back (keys by length), as JSON; a formula-like text guarded with a quote.
    expect(lines[1]).toBe(`keep,"'=1+1 says ""no""","{""n"":0,""id"":""r0""}"`);
    expect(lines.at(-1)).toBe(`keep,reason ${MAX_KEPT_RECORD_ERRORS - 1},"{""n"":${MAX_KEPT_RECORD_ERRORS - 1},""id"":""r${MAX_KEPT_RECORD_ERRORS - 1}""}"`);
  });
});
