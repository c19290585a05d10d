import { AppError } from '@/lib/errors';
import type { HeldActivity, StoreActivityState } from '@/lib/event-store/store-status';

/**
 * The words for why a store cannot be taken or written now. Each state gets its own sentence, so a
 * user is never told "a run is writing to it" about a store that was just released, lapsed or deleted.
 */

/** What a lease_owner value says about its holder: the label after the token (see `ownerValue`). */
export function holderLabel(leaseOwner: string | null): string | null {
  if (!leaseOwner) return null;
  const colon = leaseOwner.indexOf(':');
  const label = colon === -1 ? '' : leaseOwner.slice(colon + 1);
  return label || null;
}

const NOUN: Record<HeldActivity, string> = { writing: 'a run', deleting: 'a backfill' };
/** A backfill's undo writes too (lib/backfills/undo-backfill.ts labels its lease so): not "a run". */
const UNDO_LABEL = /^undo of backfill /;
const nounOf = (activity: HeldActivity, leaseOwner: string | null) =>
  activity === 'writing' && UNDO_LABEL.test(holderLabel(leaseOwner) ?? '') ? 'the undo of a backfill' : NOUN[activity];
const DOING: Record<HeldActivity, string> = { writing: 'is writing to it', deleting: 'is deleting events from it' };

/** ` (“run 42”)`: the holder's own label, when it gave one. */
function named(leaseOwner: string | null): string {
  const label = holderLabel(leaseOwner);
  return label ? ` (“${label}”)` : '';
}

const hhmm = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;

/**
 * Why a store cannot be taken (or written without a lease) now, exactly for what its row says:
 * deleted (404), held for writing or deleting (409 STORE_BUSY, naming the holder and since when), or —
 * when the row read after a failed take is free again — released a moment ago, or its holder's lease
 * lapsed (409 STORE_FREED: try again).
 */
export function busyError(state: StoreActivityState | null, storeName: string, now = new Date()): AppError {
  if (!state) return storeDeletedError(storeName);
  const details = { activity: state.activity, holder: holderLabel(state.leaseOwner), leaseExpiresAt: state.leaseExpiresAt?.toISOString() ?? null };
  if (state.activity === 'idle') {
    return new AppError('STORE_FREED', `The event store “${storeName}” was busy a moment ago and is free now. Try again.`, { status: 409, details });
  }
  if (!state.leaseExpiresAt || state.leaseExpiresAt <= now) {
    const when = state.leaseExpiresAt ? ` at ${hhmm(state.leaseExpiresAt)}` : '';
    return new AppError(
      'STORE_FREED',
      `The event store “${storeName}” was held by ${nounOf(state.activity, state.leaseOwner)}${named(state.leaseOwner)}, which stopped renewing its hold${when}; the store is free now. Try again.`,
      { status: 409, details },
    );
  }
  const since = state.activityStartedAt ? ` since ${hhmm(state.activityStartedAt)}` : '';
  return new AppError(
    'STORE_BUSY',
    `The event store “${storeName}” is busy: ${nounOf(state.activity, state.leaseOwner)} ${DOING[state.activity]}${since}${named(state.leaseOwner)}. Try again when it finishes.`,
    { status: 409, details },
  );
}

export function storeDeletedError(storeName?: string): AppError {
  const store = storeName ? `The event store “${storeName}”` : 'The event store';
  return new AppError('STORE_DELETED', `${store} was deleted, so nothing more can be written to it.`, { status: 404 });
}

export type LeaseLossReason = 'taken' | 'lapsed' | 'released' | 'unrenewed';

const WHY: Record<LeaseLossReason, string> = {
  taken: 'this process lost its hold on the store (it was too slow to renew it, and someone else took the store), so it may no longer change it',
  lapsed: 'this process’s hold on the store lapsed (it was too slow to renew it), so it may no longer change it',
  released: 'this process no longer holds the store (its hold was released)',
  unrenewed: 'this process could not renew its hold on the store (the database did not answer), so it stopped before the hold could lapse',
};

/** The failure of every write, and of `withStore`, once a lease no longer holds or may have lapsed. */
export function leaseLostError(storeName: string | null, activity: HeldActivity, reason: LeaseLossReason): AppError {
  const what = activity === 'deleting' ? 'deleting from' : 'writing to';
  const store = storeName ? `the event store “${storeName}”` : 'the event store';
  return new AppError('LEASE_LOST', `Stopped ${what} ${store}: ${WHY[reason]}. What was committed before stays; run it again to finish.`, {
    status: 409,
    details: { reason },
  });
}
