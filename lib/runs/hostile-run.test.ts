import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Workers here take runs from a queue of their own: other test files' queued runs stay queued.
process.env.RUN_QUEUE_NAME = 'meter-run-test-hostile';
const { getPool } = await import('@/lib/db/pool');
const { disconnectPrisma, getPrisma } = await import('@/lib/db/prisma');
const { cancelRun } = await import('@/lib/runs/cancel-run');
const { stopRunQueue } = await import('@/lib/runs/queue');
const { getRunView } = await import('@/lib/runs/read-runs');
const { startRun } = await import('@/lib/runs/start-run');
const { makeCopyMeter } = await import('@/lib/testing/run-fixtures');
const { makeTenant, scopeOf } = await import('@/lib/testing/factories');
const { eventually, makeCopyWorld } = await import('@/lib/testing/run-world');
const { finalRunView, startSlowRunWorkers, storeActivity } = await import('@/lib/testing/slow-run-workers');

/**
 * Runs met by what a careless or hostile user (or an operator) does while they go: files with text
 * PostgreSQL cannot store, cancels repeated and late, the meter or a target store deleted mid-run.
 */

let workers: Awaited<ReturnType<typeof startSlowRunWorkers>>;

beforeAll(async () => {
  workers = await startSlowRunWorkers();
});
afterAll(async () => {
  await workers.stop();
  await stopRunQueue();
  await disconnectPrisma();
});


const slowWorld = async () => {
  const world = await makeCopyWorld(3_000);
  await getPrisma().meter.update({ where: { id: world.meter.id }, data: { description: 'slow' } });
  const scope = scopeOf(world.tenant.workspace, world.tenant.owner);
  const { runId } = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
  await eventually(async () => ((await getRunView(world.tenant.workspace.id, runId))!.progress.read > 0 ? true : undefined), 30_000, 'the run to read');
  return { ...world, scope, runId };
};

describe('hostile runs', () => {
  it('a file with NUL or broken Unicode in records: those records are record errors (stored, readable), the rest is written', async () => {
    const tenant = await makeTenant();
    const { meter, targetStoreId } = await makeCopyMeter(tenant, { source: 'file' });
    const lines = [
      '{"id":"ok1","at":"2026-01-01T00:00:00Z"}',
      '{"id":"nul\\u0000","at":"2026-01-01T00:00:01Z"}',
      '{"id":"half\\ud800","at":"2026-01-01T00:00:02Z"}',
      '{"id":"ok2","at":"2026-01-01T00:00:03Z","k\\u0000":1}',
      'not json \u0000 at all',
      '{"id":"ok3","at":"2026-01-01T00:00:04Z"}',
    ];
    const { runId } = await startRun(scopeOf(tenant.workspace, tenant.owner), { meterId: meter.id, scope: { kind: 'file', fileName: 'calls.ndjson' }, idempotencyKey: randomUUID() }, { name: 'calls.ndjson', content: Buffer.from(lines.join('\n')) });
    const view = await finalRunView(tenant.workspace.id, runId);
    expect(view).toMatchObject({ status: 'completed', failure: null, errorCount: 4 });
    const errors = await getPool().query(`SELECT reason, record FROM meter_run_errors WHERE run_id = $1 ORDER BY (record->>'position')::int`, [runId]);
    expect(errors.rows.map((r) => r.reason)).toEqual([
      'Line 2: the record contains a NUL character (\\u0000), which cannot be stored; remove it.',
      'Line 3: the record contains a broken Unicode character (an unpaired surrogate); fix the text encoding.',
      'Line 4: the record contains a NUL character (\\u0000), which cannot be stored; remove it.',
      expect.stringMatching(/^Line 5: /),
    ]);
    expect(errors.rows[3].record).toEqual({ position: 5, text: 'not json \uFFFD at all\n' });
    const written = await getPool().query(`SELECT event_id FROM events WHERE store_id = $1 ORDER BY event_id`, [targetStoreId]);
    expect(written.rows.map((r) => r.event_id)).toEqual(['ok1', 'ok3']);
    expect(await storeActivity(targetStoreId)).toBe('idle');
  });

  it('cancel sent twice at once while running is one cancel; cancel after the end is refused saying how it ended', async () => {
    const { tenant, scope, runId } = await slowWorld();
    expect(await Promise.all([cancelRun(scope, runId), cancelRun(scope, runId)])).toEqual([{ status: 'running' }, { status: 'running' }]);
    expect((await finalRunView(tenant.workspace.id, runId)).status).toBe('cancelled');
    await expect(cancelRun(scope, runId)).rejects.toMatchObject({ code: 'RUN_ENDED', status: 409, userMessage: expect.stringMatching(/^This run already ended: cancelled at /) });
    const audits = await getPrisma().auditEvent.count({ where: { targetId: runId, action: 'run.cancel_requested' } });
    expect(audits).toBe(2);
  });

  it('the meter deleted mid-run (its runs go with it): the worker stops and gives its target store back at once, not when the lease lapses', async () => {
    const { targetStoreId, meter, tenant, runId } = await slowWorld();
    await getPool().query(`DELETE FROM meters WHERE id = $1`, [meter.id]);
    expect(await getRunView(tenant.workspace.id, runId)).toBeNull();
    // Heartbeat (5 s) + a batch; the lease itself would keep the store busy for 60 s after the last renewal.
    await eventually(async () => ((await storeActivity(targetStoreId)) === 'idle' ? true : undefined), 20_000, 'the target store to be idle');
    // The workers go on: the next run completes.
    const next = await makeCopyWorld(10);
    const { runId: nextRun } = await startRun(scopeOf(next.tenant.workspace, next.tenant.owner), { meterId: next.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    expect((await finalRunView(next.tenant.workspace.id, nextRun)).status).toBe('completed');
  }, 60_000);

  it('the target store deleted mid-run: the run fails saying so', async () => {
    const { tenant, targetStoreId, runId } = await slowWorld();
    await getPool().query(`DELETE FROM event_stores WHERE id = $1`, [targetStoreId]);
    const view = await finalRunView(tenant.workspace.id, runId);
    expect(view).toMatchObject({ status: 'failed', failure: 'The event store was deleted, so nothing more can be written to it.' });
  }, 60_000);
});
