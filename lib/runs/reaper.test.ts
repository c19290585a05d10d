import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { readActivity, takeStore } from '@/lib/event-store/store-status';
import { runQueueName, stopRunQueue } from '@/lib/runs/queue';
import { getRunView } from '@/lib/runs/read-runs';
import { reapStaleRuns, resendLostRuns } from '@/lib/runs/reaper';
import { startRun } from '@/lib/runs/start-run';
import { makeTenant, scopeOf } from '@/lib/testing/factories';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;

beforeAll(async () => {
  a = await makeTenant();
});
afterAll(async () => {
  await stopRunQueue();
  await disconnectPrisma();
});

/** A run as a worker left it: running, its last heartbeat `secondsAgo`. */
async function runningRun(secondsAgo: number) {
  const { meter, targetStoreId } = await makeCopyMeter(a);
  const { runId } = await startRun(scopeOf(a.workspace, a.owner), { meterId: meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
  await getPool().query(
    `UPDATE meter_runs SET status = 'running', worker_id = 'gone:1:abc', started_at = now() - make_interval(secs => $2 + 5), heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1`,
    [runId, secondsAgo],
  );
  return { runId, targetStoreId };
}
const activity = async (storeId: string) => (await readActivity(getPool(), storeId))!.activity;

describe('reapStaleRuns', () => {
  it('fails a running run whose heartbeat stopped, releases its store and audits it; a live one is left alone', async () => {
    const stale = await runningRun(45);
    const alive = await runningRun(2);
    // Another test file's workers may reap it first (they reap every 10 s): the outcome is what counts.
    expect(await reapStaleRuns(getPool())).not.toContain(alive.runId);
    const view = await getRunView(a.workspace.id, stale.runId);
    expect(view).toMatchObject({ status: 'failed' });
    expect(view!.failure).toMatch(/^The worker running it stopped responding \(no heartbeat since \d\d:\d\d:\d\d UTC, worker gone:1:abc\)\. What it wrote before stays; run it again to finish/);
    expect(view!.finishedAt).not.toBeNull();
    expect(await activity(stale.targetStoreId)).toBe('idle');
    expect(await activity(alive.targetStoreId)).toBe('writing');
    expect((await getRunView(a.workspace.id, alive.runId))!.status).toBe('running');
    const audits = await getPrisma().auditEvent.findMany({ where: { targetId: stale.runId, action: 'run.finished' } });
    expect(audits).toMatchObject([{ actorLabel: a.owner.email, details: { status: 'failed', reaped: true } }]);
    expect(await reapStaleRuns(getPool())).not.toContain(stale.runId);
  });

  it('leaves a store that someone else took since its lease lapsed', async () => {
    const stale = await runningRun(45);
    await getPool().query(`UPDATE event_stores SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [stale.targetStoreId]);
    const other = (await takeStore(getPool(), stale.targetStoreId, 'deleting', 'backfill by dora'))!;
    await reapStaleRuns(getPool());
    expect((await getRunView(a.workspace.id, stale.runId))!.status).toBe('failed');
    expect((await readActivity(getPool(), stale.targetStoreId))!.leaseOwner).toBe(other.owner);
  });
});

describe('resendLostRuns', () => {
  it('sends the job again for a queued run whose job a dead worker fetched; a run whose job still waits is left alone', async () => {
    const start = async () => {
      const { meter } = await makeCopyMeter(a);
      const { runId } = await startRun(scopeOf(a.workspace, a.owner), { meterId: meter.id, scope: { kind: 'all' }, dryRun: true, idempotencyKey: randomUUID() });
      await getPool().query(`UPDATE meter_runs SET created_at = now() - interval '3 minutes' WHERE id = $1`, [runId]);
      return runId;
    };
    const lost = await start();
    const waiting = await start();
    await getPool().query(`UPDATE pgboss.job SET state = 'active', started_on = now() WHERE name = $2 AND singleton_key = $1`, [lost, runQueueName()]);
    const resent = await resendLostRuns(getPool());
    expect(resent).toContain(lost);
    expect(resent).not.toContain(waiting);
    const jobs = await getPool().query(`SELECT state FROM pgboss.job WHERE name = $2 AND singleton_key = $1 ORDER BY created_on`, [lost, runQueueName()]);
    expect(jobs.rows.map((j) => j.state)).toEqual(['active', 'created']);
    expect(await resendLostRuns(getPool())).not.toContain(lost);
  });
});
