import type { Db } from '@/lib/db/transaction';

/**
 * Returns to idle every target store the run still holds: only where the store's lease owner is the one
 * recorded for the run (meter_run_targets), so a store someone else took since is left alone. One
 * statement for all the run's stores; safe to repeat.
 */
export async function releaseRunStores(db: Db, runId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE event_stores s SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL, activity_started_at = NULL
       FROM meter_run_targets t
      WHERE t.run_id = $1 AND s.id = t.store_id AND s.lease_owner = t.lease_owner`,
    [runId],
  );
  return rowCount ?? 0;
}
