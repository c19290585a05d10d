import type pg from 'pg';
import { formatDateTime } from '@/components/ui/format';
import { AppError } from '@/lib/errors';
import { busyError, readActivity } from '@/lib/event-store/store-status';

/**
 * Why the store could not be taken, naming what holds it: a run (its meter, when it started and who
 * started it, from meter_run_targets) or, failing that, the holder's own label (a backfill).
 */
export async function heldError(db: pg.Pool, store: { id: string; name: string }): Promise<AppError> {
  const state = await readActivity(db, store.id);
  const generic = busyError(state, store.name);
  if (generic.code !== 'STORE_BUSY' || !state?.leaseOwner) return generic;
  const { rows } = await db.query<{ id: string; meter_name: string; created_at: Date; created_by: string; status: string }>(
    `SELECT r.id, m.name AS meter_name, r.created_at, r.created_by, r.status
       FROM meter_run_targets t JOIN meter_runs r ON r.id = t.run_id JOIN meters m ON m.id = r.meter_id
      WHERE t.store_id = $1 AND t.lease_owner = $2`,
    [store.id, state.leaseOwner],
  );
  const holder = rows[0];
  if (!holder) return generic;
  return new AppError(
    'STORE_BUSY',
    `The event store “${store.name}” is busy: the run of “${holder.meter_name}” started ${formatDateTime(holder.created_at)} by ${holder.created_by} is writing to it (${holder.status}). Try again when it finishes, or cancel that run.`,
    { status: 409, details: { ...generic.details, runId: holder.id } },
  );
}
