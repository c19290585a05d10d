import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Workers here take runs from a queue of their own: other test files' queued runs stay queued.
process.env.RUN_QUEUE_NAME = 'meter-run-test-worker';
const { getPool } = await import('@/lib/db/pool');
const { disconnectPrisma, getPrisma } = await import('@/lib/db/prisma');
const { readActivity, takeStore } = await import('@/lib/event-store/store-status');
const { cancelRun } = await import('@/lib/runs/cancel-run');
const { stopRunQueue } = await import('@/lib/runs/queue');
const { getRunView } = await import('@/lib/runs/read-runs');
const { runErrorsCsv } = await import('@/lib/runs/run-errors-csv');
const { runProgressSink } = await import('@/lib/runs/run-progress');
const { startRun } = await import('@/lib/runs/start-run');
const { MAX_KEPT_RECORD_ERRORS } = await import('@/lib/runs/types');
const { ingestMeterRecords } = await import('@/lib/runs/meter-ingest');
const { makeCopyMeter } = await import('@/lib/testing/run-fixtures');
const { makeTenant, scopeOf } = await import('@/lib/testing/factories');
const { eventually, makeCopyWorld, targetMatchesSource } = await import('@/lib/testing/run-world');
const { finalRunView, startSlowRunWorkers, storeActivity } = await import('@/lib/testing/slow-run-workers');

type Workers = Awaited<ReturnType<typeof startSlowRunWorkers>>;
let workers: Workers;

beforeAll(async () => {
  workers = await startSlowRunWorkers();
});
afterAll(async () => {
  await workers.stop();
  await stopRunQueue();
  await disconnectPrisma();
});


describe('run workers', () => {
  it('run a queued run to completed: the target holds exactly the source, the store is idle again, audited', async () => {
    const world = await makeCopyWorld(3_000);
    const scope = scopeOf(world.tenant.workspace, world.tenant.editor, 'editor');
    const { runId } = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    const view = await finalRunView(world.tenant.workspace.id, runId);
    expect(view).toMatchObject({ status: 'completed', failure: null, errorCount: 0, progress: { read: 3_000 } });
    expect(view.startedAt).not.toBeNull();
    expect(await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).toEqual({ source: 3_000, target: 3_000, differing: 0 });
    expect(await storeActivity(world.targetStoreId)).toBe('idle');
    const audit = await getPrisma().auditEvent.findFirst({ where: { targetId: runId, action: 'run.finished' } });
    expect(audit).toMatchObject({ actorLabel: world.tenant.editor.email, details: { status: 'completed', read: 3_000 } });
    const row = await getPool().query(`SELECT worker_id FROM meter_runs WHERE id = $1`, [runId]);
    expect(row.rows[0].worker_id).toBe(workers.workerId);

    // The same scope again leaves the target exactly as it was (replay replaces, never adds twice).
    const again = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    expect((await finalRunView(world.tenant.workspace.id, again.runId)).status).toBe('completed');
    expect(await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).toEqual({ source: 3_000, target: 3_000, differing: 0 });
  });

  it('run a dry run to completed with its report, writing nothing and taking no store', async () => {
    const world = await makeCopyWorld(500);
    const { runId } = await startRun(scopeOf(world.tenant.workspace, world.tenant.owner), { meterId: world.meter.id, scope: { kind: 'all' }, dryRun: true, idempotencyKey: randomUUID() });
    const view = await finalRunView(world.tenant.workspace.id, runId);
    expect(view).toMatchObject({ status: 'completed', dryRun: true, targets: [], progress: { read: 500 } });
    expect(view.report?.targets.dst).toMatchObject({ inserted: 500, replaced: 0 });
    expect((await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).target).toBe(0);
    expect(await storeActivity(world.targetStoreId)).toBe('idle');
  });

  it('cancel stops a running run between batches: cancelled, part written, store idle', async () => {
    // 50 batches of 100, 200 ms each: at least 10 s, twice the heartbeat that carries the cancel.
    const world = await makeCopyWorld(5_000);
    await getPrisma().meter.update({ where: { id: world.meter.id }, data: { description: 'slow' } });
    const scope = scopeOf(world.tenant.workspace, world.tenant.editor, 'editor');
    const { runId } = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    await eventually(async () => ((await getRunView(world.tenant.workspace.id, runId))!.progress.read > 0 ? true : undefined), 30_000, 'the run to read');
    expect(await cancelRun(scope, runId)).toEqual({ status: 'running' });
    const view = await finalRunView(world.tenant.workspace.id, runId);
    expect(view.status).toBe('cancelled');
    expect(view.failure).toMatch(/^Cancelled while it ran/);
    expect(view.progress.read).toBeLessThan(5_000);
    expect((await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).target).toBeLessThan(5_000);
    expect(await storeActivity(world.targetStoreId)).toBe('idle');
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
    workers = await startSlowRunWorkers();
    expect((await finalRunView(lapsed.tenant.workspace.id, lapsedRun)).status).toBe('completed');
    expect(await targetMatchesSource(lapsed.sourceStoreId, lapsed.targetStoreId)).toMatchObject({ target: 100, differing: 0 });
    const refused = await finalRunView(taken.tenant.workspace.id, takenRun);
    expect(refused.status).toBe('failed');
    expect(refused.failure).toMatch(/is busy: a backfill is deleting events from it since .* \(“backfill by erin”\)/);
    expect((await targetMatchesSource(taken.sourceStoreId, taken.targetStoreId)).target).toBe(0);
    expect((await readActivity(getPool(), taken.targetStoreId))!.leaseOwner).toMatch(/:backfill by erin$/);
  });
});

describe('file and live runs', () => {
  const storeCount = async (storeId: string) => Number((await getPool().query(`SELECT count(*) AS n FROM events WHERE store_id = $1`, [storeId])).rows[0].n);

  it('runs a File meter over the file sent with the run, then drops the file', async () => {
    const tenant = await makeTenant();
    const { meter, targetStoreId } = await makeCopyMeter(tenant, { source: 'file' });
    const content = Buffer.from(['{"id":"f1","at":"2026-01-01T00:00:00Z"}', '{"id":"f2","at":"2026-01-01T00:01:00Z"}', '{"id":"f3","at":"2026-01-01T00:02:00Z"}'].join('\n'));
    const { runId } = await startRun(scopeOf(tenant.workspace, tenant.owner), { meterId: meter.id, scope: { kind: 'file', fileName: 'calls.ndjson' }, idempotencyKey: randomUUID() }, { name: 'calls.ndjson', content });
    expect(await finalRunView(tenant.workspace.id, runId)).toMatchObject({ status: 'completed', progress: { read: 3 } });
    expect(await storeCount(targetStoreId)).toBe(3);
    expect((await getPool().query(`SELECT 1 FROM meter_run_inputs WHERE run_id = $1`, [runId])).rowCount).toBe(0);
  });

  it('runs a started HTTP ingest meter on what arrives until it is stopped, then ends completed with the store idle', async () => {
    const tenant = await makeTenant();
    const { meter, targetStoreId } = await makeCopyMeter(tenant, { source: 'http' });
    const scope = scopeOf(tenant.workspace, tenant.owner);
    await expect(ingestMeterRecords(tenant.workspace.id, meter.id, [{ id: 'h0', at: '2026-01-01T00:00:00Z' }])).rejects.toThrow('is not started');
    const { runId } = await startRun(scope, { meterId: meter.id, scope: { kind: 'live' }, idempotencyKey: randomUUID() });
    expect(await ingestMeterRecords(tenant.workspace.id, meter.id, [{ id: 'h1', at: '2026-01-01T00:00:00Z' }, { id: 'h2', at: '2026-01-01T00:00:01Z' }])).toEqual({ accepted: 2, runId });
    await eventually(async () => ((await storeCount(targetStoreId)) === 2 ? true : undefined), 30_000, 'the live run to write what arrived');
    expect(await cancelRun(scope, runId)).toEqual({ status: 'running' });
    expect(await finalRunView(tenant.workspace.id, runId)).toMatchObject({ status: 'completed', failure: null, progress: { read: 2 } });
    expect(await storeActivity(targetStoreId)).toBe('idle');
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
