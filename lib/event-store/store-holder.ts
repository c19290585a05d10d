import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { notFound } from '@/lib/errors';
import { effectiveActivity, holderLabel, type StoreActivity } from '@/lib/event-store/store-status';

/** What holds a store now, for the store page's Backfill button: its tooltip names the holder and links it. */
export interface StoreHolder {
  /** The activity in force: a lapsed lease is idle. */
  activity: StoreActivity;
  /** The holder in words ("the run of “Billable API calls” started by ann@example.com"), null when idle. */
  label: string | null;
  /** The holder's page: `/runs/{id}` for a run, the backfill's page for a backfill or its undo; null when unknown. */
  href: string | null;
  /** When the store was taken (ISO), null when idle. */
  since: string | null;
}

export const IDLE: StoreHolder = { activity: 'idle', label: null, href: null, since: null };

/**
 * The backfill a lease label names, as confirm and undo label their leases (lib/backfills): "backfill
 * 0193ab12 by ann@example.com" while deleting, "undo of backfill 0193ab12 by …" while writing it back.
 */
export function backfillOfLabel(label: string | null): { idPrefix: string; undo: boolean } | null {
  const match = /^(undo of )?backfill ([0-9a-f]{8}) by /.exec(label ?? '');
  return match ? { idPrefix: match[2]!, undo: Boolean(match[1]) } : null;
}

/**
 * What holds the store of the caller's workspace (404 for any other store, so ids cannot be probed): the
 * effective activity, the holder's label and a link. A run is found exactly, by the lease it recorded in
 * meter_run_targets; a backfill by the id prefix its label carries (the newest backfill of this store with
 * that prefix, preferring the status it holds the store from: previewed while confirming, completed while undoing).
 * One primary-key read, plus one small read when a backfill holds the store: cheap enough to poll.
 */
export async function readStoreHolder(scope: WorkspaceScope, storeId: string): Promise<StoreHolder> {
  if (!z.uuid().safeParse(storeId).success) throw notFound('That event store');
  const pool = getPool();
  const { rows } = await pool.query<{
    activity: StoreActivity;
    lease_owner: string | null;
    lease_expires_at: Date | null;
    activity_started_at: Date | null;
    run_id: string | null;
    meter_name: string | null;
    run_by: string | null;
  }>(
    `SELECT s.activity, s.lease_owner, s.lease_expires_at, s.activity_started_at, r.id AS run_id, m.name AS meter_name, r.created_by AS run_by
       FROM event_stores s
       LEFT JOIN meter_run_targets t ON t.store_id = s.id AND t.lease_owner = s.lease_owner
       LEFT JOIN meter_runs r ON r.id = t.run_id
       LEFT JOIN meters m ON m.id = r.meter_id
      WHERE s.id = $1::uuid AND s.workspace_id = $2::uuid
      LIMIT 1`,
    [storeId, scope.workspaceId],
  );
  const row = rows[0];
  if (!row) throw notFound('That event store');
  const activity = effectiveActivity({ activity: row.activity, leaseExpiresAt: row.lease_expires_at });
  if (activity === 'idle') return IDLE;
  const since = row.activity_started_at?.toISOString() ?? null;
  if (row.run_id) {
    return { activity, label: `the run of “${row.meter_name}” started by ${row.run_by}`, href: `/runs/${row.run_id}`, since };
  }
  const label = holderLabel(row.lease_owner);
  const backfill = backfillOfLabel(label);
  if (!backfill) return { activity, label, href: null, since };
  const { rows: found } = await pool.query<{ id: string }>(
    `SELECT id FROM backfills
      WHERE store_id = $1::uuid AND left(id::text, 8) = $2
      ORDER BY status::text = $3 DESC, created_at DESC LIMIT 1`,
    [storeId, backfill.idPrefix, backfill.undo ? 'completed' : 'previewed'],
  );
  const href = found[0] ? `/event-stores/${storeId}/backfill?b=${found[0].id}` : null;
  return { activity, label: backfill.undo ? `the undo of ${label!.slice('undo of '.length)}` : `the ${label}`, href, since };
}
