import type pg from 'pg';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { notPendingError } from '@/lib/backfills/backfill-errors';
import { holdStoreForBackfill, lockBackfill } from '@/lib/backfills/hold-store';
import { findBackfill, getBackfill } from '@/lib/backfills/read-backfills';
import type { BackfillView } from '@/lib/backfills/types';
import { deleteEvents } from '@/lib/event-store/delete-events';
import { fenceWrite } from '@/lib/event-store/store-fence';
import type { Lease } from '@/lib/event-store/store-status';

/**
 * Deletes the events a previewed backfill matched. Takes the store for deleting (STORE_BUSY when anyone
 * holds it), and in ONE transaction under the lease: matches the rows again (an event replaced since the
 * preview by one with another time is left alone), copies the matched events' full rows into the trail,
 * deletes exactly those, marks the backfill completed with the count and the events' time span, and
 * audits. A confirm that dies midway changes nothing: the backfill stays previewed and can be confirmed
 * again. Refused with BACKFILL_NOT_PENDING (409) when it is not previewed.
 */
export async function confirmBackfill(scope: WorkspaceScope, backfillId: string): Promise<BackfillView> {
  const backfill = await findBackfill(scope, backfillId);
  if (backfill.status !== 'previewed') throw notPendingError(backfill);
  const label = `backfill ${backfill.id.slice(0, 8)} by ${scope.actor.label}`;
  await holdStoreForBackfill(backfill, 'deleting', label, async (client, lease) => {
    await lockBackfill(client, backfill.id, 'previewed', notPendingError);
    await deleteMatched(client, scope, backfill, lease);
  });
  return getBackfill(scope, backfill.id);
}

interface PendingBackfill {
  id: string;
  storeId: string;
  store: { name: string };
  fileName: string;
  requested: number;
  matched: number;
}

async function deleteMatched(client: pg.ClientBase, scope: WorkspaceScope, backfill: PendingBackfill, lease: Lease): Promise<void> {
  // The store row stays locked FOR UPDATE until commit: no append lands between the copy and the delete.
  await fenceWrite(client, backfill.storeId, 'delete', lease);
  const trail = await client.query<{ event_id: string }>(COPY_MATCHED_TO_TRAIL, [backfill.id, backfill.storeId]);
  const ids = trail.rows.map((r) => r.event_id);
  const deleted = await deleteEvents(client, backfill.storeId, ids, { lease });
  if (deleted !== ids.length) throw new Error(`Backfill ${backfill.id}: copied ${ids.length} events to the trail but deleted ${deleted}.`);
  await client.query(
    `UPDATE backfills b
        SET status = 'completed', deleted = $2, confirmed_by = $3, confirmed_at = clock_timestamp(),
            frame_from = span.first, frame_to = span.last + interval '1 millisecond'
       FROM (SELECT min(event_time) AS first, max(event_time) AS last FROM backfill_events WHERE backfill_id = $1::uuid) span
      WHERE b.id = $1::uuid`,
    [backfill.id, deleted, scope.actor.label],
  );
  await recordAudit(client, scope, {
    action: 'backfill.completed',
    targetType: 'event_store',
    targetId: backfill.storeId,
    details: { backfillId: backfill.id, store: backfill.store.name, fileName: backfill.fileName, requested: backfill.requested, matched: backfill.matched, deleted },
  });
}

/** The matched rows' events as they are now (same id AND same event time), full rows, into the trail. */
const COPY_MATCHED_TO_TRAIL = `
  INSERT INTO backfill_events (backfill_id, event_id, event_time, payload, ingested_at)
  SELECT r.backfill_id, e.event_id, e.event_time, e.payload, e.ingested_at
    FROM backfill_rows r
    JOIN events e ON e.store_id = $2::uuid AND e.event_id = r.event_id AND e.event_time = r.event_time
   WHERE r.backfill_id = $1::uuid AND r.matched
  RETURNING event_id`;
