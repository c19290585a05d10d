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
 * What holds the store of the caller's workspace (404 for any other store, so ids cannot be probed): the
 * effective activity, the holder's label and a link. The holder is found exactly, by the lease owner token it
 * recorded: a run in meter_run_targets, a backfill's confirm or undo on its backfills row. One read by
 * primary key and two indexed probes: cheap enough to poll.
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
    backfill_id: string | null;
    backfill_file: string | null;
  }>(
    `SELECT s.activity, s.lease_owner, s.lease_expires_at, s.activity_started_at, r.id AS run_id, m.name AS meter_name, r.created_by AS run_by,
            b.id AS backfill_id, b.file_name AS backfill_file
       FROM event_stores s
       LEFT JOIN meter_run_targets t ON t.store_id = s.id AND t.lease_owner = s.lease_owner
       LEFT JOIN meter_runs r ON r.id = t.run_id
       LEFT JOIN meters m ON m.id = r.meter_id
       LEFT JOIN backfills b ON b.lease_owner = s.lease_owner AND b.store_id = s.id
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
  if (!row.backfill_id) return { activity, label, href: null, since };
  // Confirm deletes (deleting); undo writes the events back (writing).
  const what = activity === 'deleting' ? `the backfill of “${row.backfill_file}”` : `the undo of the backfill of “${row.backfill_file}”`;
  return { activity, label: label ? `${what} (${label})` : what, href: `/event-stores/${storeId}/backfill?b=${row.backfill_id}`, since };
}
