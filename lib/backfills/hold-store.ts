import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { inTransaction } from '@/lib/db/transaction';
import { AppError } from '@/lib/errors';
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
 * Locks the backfill row for the transaction and checks its status again: a second confirm or undo that
 * read the old status before this one committed waits here, then is refused.
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
  if (!now) throw new AppError('NOT_FOUND', 'That backfill was not found.', { status: 404 });
  if (now.status !== expected) throw refuse(now);
}

interface StatusFacts {
  status: BackfillStatus;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  undoneAt: Date | null;
  undoneBy: string | null;
}

const at = (when: Date | null, who: string | null) => `${when ? ` on ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}${who ? ` by ${who}` : ''}`;

/** Why a backfill cannot be confirmed (409 BACKFILL_NOT_PENDING). */
export function notPendingError(backfill: StatusFacts): AppError {
  const why: Record<BackfillStatus, string> = {
    previewed: 'is waiting for confirmation',
    completed: `was already confirmed${at(backfill.confirmedAt, backfill.confirmedBy)}`,
    undone: `was already confirmed and then undone${at(backfill.undoneAt, backfill.undoneBy)}`,
    failed: 'failed',
  };
  return new AppError('BACKFILL_NOT_PENDING', `This backfill ${why[backfill.status]}, so it cannot be confirmed again. Upload the file again for a new preview.`, {
    status: 409,
    details: { status: backfill.status },
  });
}

/** Why a backfill cannot be undone (409 BACKFILL_NOT_UNDOABLE): only a completed one can, once. */
export function notUndoableError(backfill: StatusFacts): AppError {
  const why: Record<BackfillStatus, string> = {
    previewed: 'was never confirmed, so no event was deleted and there is nothing to undo',
    completed: 'can be undone',
    undone: `was already undone${at(backfill.undoneAt, backfill.undoneBy)}; an undo is not repeated`,
    failed: 'failed, so no event was deleted and there is nothing to undo',
  };
  return new AppError('BACKFILL_NOT_UNDOABLE', `This backfill ${why[backfill.status]}.`, { status: 409, details: { status: backfill.status } });
}
