import type { Db } from '@/lib/db/transaction';

/**
 * Returns to idle every target store the run still holds: only where the store's lease owner is the one
 * recorded for the run (meter_run_targets), so a store someone else took since is left alone. One
 * statement for all the run's stores; safe to repeat.
 */
export async function releaseRunStores(db: Db, runId: string): Promise<number> {
  // Rows locked in store-id order, the order start-run takes them in, so a release and a take of several
  // stores never wait for each other in opposite orders. FOR NO KEY UPDATE, like every renewal and release:
  // it does not wait for append batches (FOR KEY SHARE).
  const { rowCount } = await db.query(
    `UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL, activity_started_at = NULL
      WHERE id IN (SELECT s.id FROM event_stores s JOIN meter_run_targets t ON t.store_id = s.id AND t.lease_owner = s.lease_owner
                    WHERE t.run_id = $1 ORDER BY s.id FOR NO KEY UPDATE OF s)`,
    [runId],
  );
  return rowCount ?? 0;
}
