import type pg from 'pg';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { notUndoableError } from '@/lib/backfills/backfill-errors';
import { holdStoreForBackfill, lockBackfill } from '@/lib/backfills/hold-store';
import { findBackfill, getBackfill } from '@/lib/backfills/read-backfills';
import type { BackfillView } from '@/lib/backfills/types';
import { fenceWrite } from '@/lib/event-store/store-fence';
import type { Lease } from '@/lib/event-store/store-status';

/** Skipped event ids kept on the backfill (and shown); all are counted. */
export const MAX_KEPT_SKIPPED_IDS = 100;

/**
 * Re-inserts the events a completed backfill deleted (their full rows, from the trail), except those
 * whose id the store holds again (re-ingested since: newer data wins; they are counted and the first
 * 100 ids kept). Takes the store for writing, and does it in one transaction under the lease with the
 * status change and the audit. Only from `completed`, once (BACKFILL_NOT_UNDOABLE otherwise).
 */
export async function undoBackfill(scope: WorkspaceScope, backfillId: string): Promise<BackfillView> {
  const backfill = await findBackfill(scope, backfillId);
  if (backfill.status !== 'completed') throw notUndoableError(backfill);
  const label = `undo of backfill ${backfill.id.slice(0, 8)} by ${scope.actor.label}`;
  await holdStoreForBackfill(backfill, 'writing', label, async (client, lease) => {
    await lockBackfill(client, backfill.id, 'completed', notUndoableError);
    await restoreTrail(client, scope, backfill, lease);
  });
  return getBackfill(scope, backfill.id);
}

async function restoreTrail(client: pg.ClientBase, scope: WorkspaceScope, backfill: { id: string; storeId: string; store: { name: string } }, lease: Lease) {
  await fenceWrite(client, backfill.storeId, 'append', lease);
  const { rows } = await client.query<{ restored: number; skipped: number; skipped_ids: string[] }>(RESTORE_TRAIL, [backfill.id, backfill.storeId, MAX_KEPT_SKIPPED_IDS]);
  const { restored, skipped, skipped_ids: skippedIds } = rows[0]!;
  await client.query(
    `UPDATE backfills SET status = 'undone', restored = $2, skipped = $3, skipped_ids = $4::text[], undone_by = $5, undone_at = clock_timestamp() WHERE id = $1::uuid`,
    [backfill.id, restored, skipped, skippedIds, scope.actor.label],
  );
  await recordAudit(client, scope, {
    action: 'backfill.undone',
    targetType: 'event_store',
    targetId: backfill.storeId,
    details: { backfillId: backfill.id, store: backfill.store.name, restored, skipped },
  });
}

/**
 * One statement: insert the trail's events whose id is not in the store now (ON CONFLICT DO NOTHING also
 * covers an ingest racing this one: appends without a lease may write while the store is held for
 * writing), then count what was left alone and list its first ids.
 */
const RESTORE_TRAIL = `
  WITH restored AS (
    INSERT INTO events (store_id, event_id, event_time, payload, ingested_at)
    SELECT $2::uuid, t.event_id, t.event_time, t.payload, t.ingested_at
      FROM backfill_events t
     WHERE t.backfill_id = $1::uuid
       AND NOT EXISTS (SELECT 1 FROM events e WHERE e.store_id = $2::uuid AND e.event_id = t.event_id)
     ORDER BY t.event_id
    ON CONFLICT (store_id, event_id) DO NOTHING
    RETURNING event_id),
  skipped AS (
    SELECT t.event_id FROM backfill_events t
     WHERE t.backfill_id = $1::uuid AND NOT EXISTS (SELECT 1 FROM restored r WHERE r.event_id = t.event_id))
  SELECT (SELECT count(*) FROM restored)::int AS restored,
         (SELECT count(*) FROM skipped)::int AS skipped,
         ARRAY(SELECT event_id FROM skipped ORDER BY event_id LIMIT $3) AS skipped_ids`;
