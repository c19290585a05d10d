import type pg from 'pg';
import { AppError } from '@/lib/errors';

/**
 * The event store status machine, in one place.
 *
 *   idle ──take(writing)──▶ writing ──release──▶ idle
 *   idle ──take(deleting)─▶ deleting ─release──▶ idle
 *
 * A store is never writing and deleting at once: `take` succeeds only from idle (or from a lapsed
 * lease), in one conditional UPDATE, so of two racing takers exactly one wins. The holder renews its
 * lease while it works; a holder that dies stops renewing, the lease lapses, and the store counts as
 * idle again without anyone cleaning up.
 */
export type StoreActivity = 'idle' | 'writing' | 'deleting';
export type HeldActivity = Exclude<StoreActivity, 'idle'>;

export const TRANSITIONS: Record<StoreActivity, StoreActivity[]> = {
  idle: ['writing', 'deleting'],
  writing: ['idle'],
  deleting: ['idle'],
};

export const DEFAULT_LEASE_SECONDS = 60;

export interface StoreActivityState {
  activity: StoreActivity;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  activityStartedAt: Date | null;
}

/** The activity in force: a lapsed lease is idle. */
export function effectiveActivity(state: Pick<StoreActivityState, 'activity' | 'leaseExpiresAt'>, now = new Date()): StoreActivity {
  if (state.activity === 'idle') return 'idle';
  return state.leaseExpiresAt && state.leaseExpiresAt > now ? state.activity : 'idle';
}

export type StoreStatusLabel = 'Orphan' | 'In use · Idle' | 'In use · Writing' | 'Deleting';

/** The badge on the stores list: whether meters use the store, and what holds it now. */
export function storeStatusLabel(state: Pick<StoreActivityState, 'activity' | 'leaseExpiresAt'>, meterCount: number, now = new Date()): StoreStatusLabel {
  const activity = effectiveActivity(state, now);
  if (activity === 'deleting') return 'Deleting';
  if (activity === 'writing') return 'In use · Writing';
  return meterCount > 0 ? 'In use · Idle' : 'Orphan';
}

export interface Lease {
  storeId: string;
  owner: string;
  activity: HeldActivity;
}

/**
 * Takes the store for writing or deleting, atomically. Returns the lease, or null when someone else
 * holds the store (see `describeHolder` for why).
 */
export async function takeStore(db: pg.Pool | pg.ClientBase, storeId: string, activity: HeldActivity, owner: string, leaseSeconds = DEFAULT_LEASE_SECONDS): Promise<Lease | null> {
  const { rowCount } = await db.query(
    `UPDATE event_stores
        SET activity = $2::"StoreActivity", lease_owner = $3, activity_started_at = now(),
            lease_expires_at = now() + make_interval(secs => $4)
      WHERE id = $1::uuid AND (activity = 'idle' OR lease_expires_at IS NULL OR lease_expires_at <= now())`,
    [storeId, activity, owner, leaseSeconds],
  );
  return rowCount === 1 ? { storeId, owner, activity } : null;
}

/** Extends a held lease; false when it was lost (lapsed and taken by someone else). */
export async function renewLease(db: pg.Pool | pg.ClientBase, lease: Lease, leaseSeconds = DEFAULT_LEASE_SECONDS): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE event_stores SET lease_expires_at = now() + make_interval(secs => $3)
      WHERE id = $1::uuid AND lease_owner = $2 AND activity = $4::"StoreActivity"`,
    [lease.storeId, lease.owner, leaseSeconds, lease.activity],
  );
  return rowCount === 1;
}

/** Returns the store to idle if this lease still holds it. */
export async function releaseStore(db: pg.Pool | pg.ClientBase, lease: Lease): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL, activity_started_at = NULL
      WHERE id = $1::uuid AND lease_owner = $2 AND activity = $3::"StoreActivity"`,
    [lease.storeId, lease.owner, lease.activity],
  );
  return rowCount === 1;
}

export async function readActivity(db: pg.Pool | pg.ClientBase, storeId: string): Promise<StoreActivityState | null> {
  const { rows } = await db.query(
    `SELECT activity, lease_owner, lease_expires_at, activity_started_at FROM event_stores WHERE id = $1::uuid`,
    [storeId],
  );
  const r = rows[0];
  return r ? { activity: r.activity, leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at, activityStartedAt: r.activity_started_at } : null;
}

/** Why a store cannot be taken now, in words a user can act on. */
export function busyError(state: StoreActivityState, storeName: string): AppError {
  const since = state.activityStartedAt ? ` since ${state.activityStartedAt.toISOString().slice(11, 16)} UTC` : '';
  const what = state.activity === 'deleting' ? 'a backfill is deleting events from it' : 'a run is writing to it';
  return new AppError('STORE_BUSY', `The event store “${storeName}” is busy: ${what}${since}. Try again when it finishes.`, {
    status: 409,
    details: { activity: state.activity, leaseExpiresAt: state.leaseExpiresAt?.toISOString() ?? null },
  });
}

/**
 * Runs `work` while holding the store, renewing the lease in the background and releasing it however
 * `work` ends. Throws STORE_BUSY (409) when the store is held by someone else.
 *
 * If a renewal finds the lease gone (it lapsed, e.g. the process stalled, and someone else took the
 * store), `signal` aborts with LEASE_LOST: `work` must check it between batches
 * (`signal.throwIfAborted()`) and stop, and withStore throws LEASE_LOST even if `work` finished anyway,
 * so no caller ever reports success for work done without the store. A renewal that fails on a database
 * error is retried at the next tick (the lease is still valid until it expires).
 */
export async function withStore<T>(
  pool: pg.Pool,
  store: { id: string; name: string },
  activity: HeldActivity,
  owner: string,
  work: (lease: Lease, signal: AbortSignal) => Promise<T>,
  leaseSeconds = DEFAULT_LEASE_SECONDS,
): Promise<T> {
  const lease = await takeStore(pool, store.id, activity, owner, leaseSeconds);
  if (!lease) {
    const state = await readActivity(pool, store.id);
    throw busyError(state ?? { activity, leaseOwner: null, leaseExpiresAt: null, activityStartedAt: null }, store.name);
  }
  const lost = new AbortController();
  const renew = async () => {
    const held = await renewLease(pool, lease, leaseSeconds).catch(() => true);
    if (!held && !lost.signal.aborted) lost.abort(leaseLostError(store.name, activity));
  };
  const timer = setInterval(() => void renew(), (leaseSeconds * 1000) / 3);
  try {
    const result = await work(lease, lost.signal);
    lost.signal.throwIfAborted();
    return result;
  } finally {
    clearInterval(timer);
    if (!lost.signal.aborted) await releaseStore(pool, lease).catch(() => undefined);
  }
}

function leaseLostError(storeName: string, activity: HeldActivity): AppError {
  const what = activity === 'deleting' ? 'deleting from' : 'writing to';
  return new AppError(
    'LEASE_LOST',
    `Stopped ${what} the event store “${storeName}”: this process lost its hold on the store (it was too slow to renew it), so it may no longer change it. What was committed before stays; run it again to finish.`,
    { status: 409 },
  );
}
