import type pg from 'pg';
import { busyError, leaseLostError, storeDeletedError } from '@/lib/event-store/store-messages';
import type { Lease } from '@/lib/event-store/store-status';

/** What a write batch is: appends share the store with each other; a delete batch has it to itself. */
export type WriteKind = 'append' | 'delete';

/**
 * The first statement of every write batch's transaction: locks the store row until the batch commits
 * and refuses the batch when it may not write now.
 *
 * - Under a lease (`lease` given), the batch commits only if that lease still holds: same owner token,
 *   not lapsed. Otherwise LEASE_LOST, and the transaction writes nothing.
 * - Without a lease (REST and upload ingest), the batch is refused while a backfill holds the store for
 *   deleting (STORE_BUSY): checked per batch, not once per request.
 *
 * Lock modes: appends take FOR KEY SHARE (many appenders at once, and the holder's renewals — plain
 * updates — never wait for them); deletes take FOR UPDATE (a delete batch never interleaves with an
 * append batch). A take marks the store first and then waits FOR UPDATE for the batches already past
 * this check, so the new holder starts only after they committed, and every batch after the mark is
 * checked against the new holder: an old holder's write can never land after the new holder began.
 */
export async function fenceWrite(client: pg.ClientBase, storeId: string, kind: WriteKind, lease?: Lease): Promise<void> {
  const { rows } = await client.query(
    `SELECT name, activity, lease_owner, lease_expires_at, activity_started_at, clock_timestamp() AS now
       FROM event_stores WHERE id = $1::uuid FOR ${kind === 'delete' ? 'UPDATE' : 'KEY SHARE'}`,
    [storeId],
  );
  const row = rows[0];
  if (!row) throw storeDeletedError();
  const held = row.lease_expires_at !== null && row.lease_expires_at > row.now;
  if (lease) {
    if (row.lease_owner === lease.owner && held) return;
    const reason = row.lease_owner === lease.owner ? 'lapsed' : row.lease_owner === null ? 'released' : 'taken';
    throw leaseLostError(row.name, lease.activity, reason);
  }
  if (row.activity === 'deleting' && held) {
    throw busyError({ activity: row.activity, leaseOwner: row.lease_owner, leaseExpiresAt: row.lease_expires_at, activityStartedAt: row.activity_started_at }, row.name, row.now);
  }
}
