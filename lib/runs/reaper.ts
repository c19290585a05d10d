import type pg from 'pg';
import { recordAudit } from '@/lib/audit/audit-log';
import { inTransaction } from '@/lib/db/transaction';
import { enqueueRun, runQueueName } from '@/lib/runs/queue';
import { runActorScope } from '@/lib/runs/run-actor';
import { releaseRunStores } from '@/lib/runs/run-stores';

/** A running run whose heartbeat is older than this lost its worker (heartbeats come every 5 s). */
export const RUN_STALE_SECONDS = 30;
/** How often every worker process looks for such runs. */
export const REAP_EVERY_MS = 10_000;

/**
 * Fails the running runs whose worker stopped responding (no heartbeat for `staleSeconds`) and releases
 * their stores — only where the store's lease is still the run's, so a store someone took since stays
 * theirs. Each run in its own transaction with its audit row; runs another reaper is handling are
 * skipped (SKIP LOCKED), so every worker process may reap at once. Queued runs are left to a worker: if
 * their leases lapse meanwhile, the worker takes the stores again. Returns the ids failed.
 */
export async function reapStaleRuns(pool: pg.Pool, staleSeconds = RUN_STALE_SECONDS): Promise<string[]> {
  const { rows: stale } = await pool.query<{ id: string }>(
    `SELECT id FROM meter_runs WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1) ORDER BY heartbeat_at LIMIT 100`,
    [staleSeconds],
  );
  const reaped: string[] = [];
  for (const { id } of stale) {
    const done = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ meter_name: string; worker_id: string | null }>(
        `UPDATE meter_runs r SET status = 'failed', finished_at = now(),
                failure = 'The worker running it stopped responding (no heartbeat since ' || to_char(r.heartbeat_at AT TIME ZONE 'UTC', 'HH24:MI:SS') || ' UTC'
                          || coalesce(', worker ' || r.worker_id, '') || '). What it wrote before stays; run it again to finish: a replay replaces, never adds twice.'
          FROM meters m
         WHERE r.id = (SELECT id FROM meter_runs WHERE id = $1 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $2) FOR UPDATE SKIP LOCKED)
           AND m.id = r.meter_id
         RETURNING m.name AS meter_name, r.worker_id`,
        [id, staleSeconds],
      );
      if (!rows[0]) return false;
      await releaseRunStores(client, id);
      await recordAudit(client, await runActorScope(client, id), {
        action: 'run.finished',
        targetType: 'meter_run',
        targetId: id,
        details: { meterName: rows[0].meter_name, status: 'failed', reaped: true, workerId: rows[0].worker_id },
      });
      return true;
    });
    if (done) reaped.push(id);
  }
  return reaped;
}

/** A queued run whose job no worker will take after this long was lost with a worker: its job is sent again. */
export const LOST_JOB_SECONDS = 120;

/**
 * Sends the job again for queued runs of this process's queue whose job is no longer waiting: a worker
 * fetched it (pg-boss marks it active) and died before its claim, so pg-boss would hand it out again only
 * when it expires, 23 h later. A queued run whose job still waits (workers busy) is left alone, and a
 * second job is harmless: the claim runs a run once.
 */
export async function resendLostRuns(pool: pg.Pool, olderThanSeconds = LOST_JOB_SECONDS): Promise<string[]> {
  const queue = runQueueName();
  const { rows } = await pool.query<{ id: string }>(
    `SELECT r.id FROM meter_runs r
      WHERE r.status = 'queued' AND r.created_at < now() - make_interval(secs => $2)
        AND EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $1 AND j.singleton_key = r.id::text)
        AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $1 AND j.singleton_key = r.id::text AND j.state IN ('created', 'retry'))
      ORDER BY r.created_at LIMIT 100`,
    [queue, olderThanSeconds],
  );
  for (const { id } of rows) await enqueueRun(pool, id);
  return rows.map((r) => r.id);
}
