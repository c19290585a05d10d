import type pg from 'pg';
import type { AppError } from '@/lib/errors';
import { busyError, leaseLostError, storeDeletedError } from '@/lib/event-store/store-messages';
import {
  DEFAULT_LEASE_SECONDS,
  effectiveActivity,
  readActivity,
  releaseStore,
  renewLease,
  takeStore,
  type HeldActivity,
  type Lease,
} from '@/lib/event-store/store-status';

/**
 * Takes the store, or throws why not in words that match its state (see `busyError`). A take that lost
 * to a holder who released the store (or whose lease lapsed) just before the read is tried again.
 */
async function takeOrExplain(pool: pg.Pool, store: { id: string; name: string }, activity: HeldActivity, label: string, leaseSeconds: number): Promise<Lease> {
  for (let attempt = 1; ; attempt++) {
    const lease = await takeStore(pool, store.id, activity, label, leaseSeconds);
    if (lease) return lease;
    const state = await readActivity(pool, store.id);
    if (!state || effectiveActivity(state) !== 'idle' || attempt === 3) throw busyError(state, store.name);
  }
}

/**
 * Runs `work` while holding the store, renewing the lease in the background and releasing it however
 * `work` ends. Throws STORE_BUSY (409) when the store is held by someone else, STORE_DELETED (404) when
 * it no longer exists. The lease's owner token is made here; `label` ("run 42", "backfill by alice")
 * only names the holder in other users' messages.
 *
 * Pass the lease to every write (`appendEvents`, `deleteEvents`, `createAppender`): each batch commits
 * only if the lease still holds at that moment, checked in the batch's own transaction, so a holder
 * whose lease was taken writes nothing more (LEASE_LOST). `signal` aborts with LEASE_LOST when a
 * renewal finds the lease gone, or when no renewal has succeeded for the lease's length minus a safety
 * margin (a renewal that fails on a database error does not count): `work` must stop when it aborts
 * (`signal.throwIfAborted()` between batches). withStore then fails with LEASE_LOST even if `work`
 * finished anyway, so no caller reports success for work that may have been done without the store.
 */
export async function withStore<T>(
  pool: pg.Pool,
  store: { id: string; name: string },
  activity: HeldActivity,
  label: string,
  work: (lease: Lease, signal: AbortSignal) => Promise<T>,
  leaseSeconds = DEFAULT_LEASE_SECONDS,
): Promise<T> {
  const takenAt = performance.now();
  const lease = await takeOrExplain(pool, store, activity, label, leaseSeconds);
  const stopped = new AbortController();
  const keeper = keepLease(pool, store, lease, leaseSeconds, takenAt, (error) => stopped.abort(error));
  try {
    const result = await work(lease, stopped.signal);
    stopped.signal.throwIfAborted();
    return result;
  } finally {
    keeper.stop();
    // Conditional on the token: a no-op when someone else holds the store now.
    await releaseStore(pool, lease).catch(() => undefined);
  }
}

/** Why a renewal found the lease gone: the store was deleted, it lapsed, or someone else holds it now. */
async function lossError(pool: pg.Pool, store: { id: string; name: string }, lease: Lease): Promise<AppError> {
  const state = await readActivity(pool, lease.storeId).catch(() => undefined);
  if (state === null) return storeDeletedError(store.name);
  return leaseLostError(store.name, lease.activity, state?.leaseOwner === lease.owner ? 'lapsed' : 'taken');
}

/** Share of the lease kept as a safety margin: work stops locally this long before the lease could lapse. */
const SAFETY_MARGIN = 1 / 6;

/**
 * Renews every third of the lease, and calls `lose` once: when a renewal finds the lease gone, or when
 * the local deadline passes — the lease's length minus the margin after the last renewal that
 * succeeded, counted from when it was *sent* (the server's clock started the new lease no earlier). A
 * renewal that fails or hangs does not move the deadline, so the work stops even if the database is
 * unreachable.
 *
 * Also for a lease taken elsewhere: a run's worker adopts the leases the run action took, and keeps them
 * from the moment it last confirmed them (`takenAt`: performance.now() when that renewal or take was sent).
 */
export function keepLease(pool: pg.Pool, store: { id: string; name: string }, lease: Lease, leaseSeconds: number, takenAt: number, lose: (error: AppError) => void) {
  const leaseMs = leaseSeconds * 1000;
  let confirmedAt = takenAt;
  let deadline: NodeJS.Timeout | undefined;
  let done = false;
  const finish = (error: AppError) => {
    if (done) return;
    stop();
    lose(error);
  };
  const arm = () => {
    clearTimeout(deadline);
    deadline = setTimeout(() => finish(leaseLostError(store.name, lease.activity, 'unrenewed')), Math.max(0, confirmedAt + leaseMs * (1 - SAFETY_MARGIN) - performance.now()));
  };
  const renew = async () => {
    const sentAt = performance.now();
    const held = await renewLease(pool, lease, leaseSeconds).catch(() => null);
    if (done || held === null) return;
    if (!held) return finish(await lossError(pool, store, lease));
    if (sentAt > confirmedAt) {
      confirmedAt = sentAt;
      arm();
    }
  };
  const timer = setInterval(() => void renew(), leaseMs / 3);
  arm();
  function stop() {
    done = true;
    clearInterval(timer);
    clearTimeout(deadline);
  }
  return { stop };
}
