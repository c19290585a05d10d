import { inTransaction, type Db } from '@/lib/db/transaction';
import { fenceWrite } from '@/lib/event-store/store-fence';
import type { Lease } from '@/lib/event-store/store-status';

export interface DeleteOptions {
  /**
   * The lease the caller holds (a backfill's `withStore`): the batch commits only if it still holds,
   * checked in the batch's transaction; otherwise LEASE_LOST and nothing is deleted.
   */
  lease?: Lease;
}

/**
 * Deletes events of one store by id in one set-based statement; returns how many existed. The batch
 * holds the store row FOR UPDATE until it commits, so it never interleaves with an ingest batch (which
 * holds it FOR KEY SHARE). `db` is the pool (the batch is its own transaction) or a client inside the
 * caller's transaction (joined under a savepoint, committed with it).
 */
export async function deleteEvents(db: Db, storeId: string, eventIds: string[], options: DeleteOptions = {}): Promise<number> {
  if (eventIds.length === 0) return 0;
  return inTransaction(db, async (client) => {
    await fenceWrite(client, storeId, 'delete', options.lease);
    const result = await client.query(`DELETE FROM events WHERE store_id = $1::uuid AND event_id = ANY($2::text[])`, [storeId, eventIds]);
    return result.rowCount ?? 0;
  });
}
