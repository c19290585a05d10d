import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { inTransaction } from '@/lib/db/transaction';
import { notFound, type AppError } from '@/lib/errors';
import type { StatusFacts } from '@/lib/backfills/backfill-errors';
import type { BackfillStatus } from '@/lib/backfills/types';
import type { HeldActivity, Lease } from '@/lib/event-store/store-status';
import { withStore } from '@/lib/event-store/with-store';

interface HeldBackfill {
  id: string;
  storeId: string;
  store: { name: string };
}

/**
 * Runs `work` in one transaction while holding the backfill's store (`withStore`: STORE_BUSY when anyone
 * holds it). The lease's owner is noted on the backfill first, so the store page can link the holder.
 */
export async function holdStoreForBackfill(
  backfill: HeldBackfill,
  activity: HeldActivity,
  label: string,
  work: (client: pg.ClientBase, lease: Lease) => Promise<void>,
): Promise<void> {
  const pool = getPool();
  await withStore(pool, { id: backfill.storeId, name: backfill.store.name }, activity, label, async (lease, signal) => {
    await pool.query(`UPDATE backfills SET lease_owner = $2 WHERE id = $1::uuid`, [backfill.id, lease.owner]);
    await inTransaction(pool, async (client) => {
      await work(client, lease);
      signal.throwIfAborted();
    });
  });
}

/**
 * Locks the backfill row for the transaction and checks its status again: a confirm or undo that read the
 * status before another one committed and released the store is refused here, not run twice.
 */
export async function lockBackfill(
  client: pg.ClientBase,
  backfillId: string,
  expected: BackfillStatus,
  refuse: (facts: StatusFacts) => AppError,
): Promise<void> {
  const { rows } = await client.query(
    `SELECT status, confirmed_at AS "confirmedAt", confirmed_by AS "confirmedBy", undone_at AS "undoneAt", undone_by AS "undoneBy"
       FROM backfills WHERE id = $1::uuid FOR UPDATE`,
    [backfillId],
  );
  const now = rows[0];
  if (!now) throw notFound('That backfill');
  if (now.status !== expected) throw refuse(now);
}
