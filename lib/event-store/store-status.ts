import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export { busyError, holderLabel, leaseLostError, storeDeletedError } from '@/lib/event-store/store-messages';

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
 *
 * Row locks on `event_stores` order the writers (see store-fence.ts): every write batch holds the store
 * row FOR KEY SHARE (appends) or FOR UPDATE (deletes) until it commits. A take marks the store, then
 * waits FOR UPDATE for the batches checked before the mark: a new holder starts only after every earlier
 * batch committed, and every later batch sees it. Renewals and releases are plain updates of non-key
 * columns (FOR NO KEY UPDATE): they never wait for appends, so a busy writer's own lease cannot lapse
 * behind its batches and a run can finish while uploads stream in.
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
  /** The lease_owner column: the holder's secret token and its label (read the label with `holderLabel`). */
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

/** A held store. `owner` is the fence: only the process that took the store knows it. */
export interface Lease {
  storeId: string;
  /** `<random token>:<label>`, as written to lease_owner; writes pass the lease and are checked against it. */
  owner: string;
  activity: HeldActivity;
  /** Who holds the store, for messages ("run 42", "backfill by alice"). */
  label: string;
}

/** Labels appear in other users' messages: one line, bounded. */
function cleanLabel(label: string): string {
  return label.replace(/\s+/g, ' ').trim().slice(0, 100);
}

/** A fresh owner value: 128 random bits nobody can guess or reuse, then the label for messages. */
function ownerValue(label: string): string {
  return `${randomBytes(16).toString('base64url')}:${label}`;
}

/**
 * Takes the store for writing or deleting, atomically, with a new owner token. Returns the lease, or
 * null when someone else holds the store (read why with `readActivity` and `busyError`). `label` only
 * names the holder in messages; it never identifies the lease.
 *
 * Two steps. The conditional UPDATE marks the store as held: from then on, every write batch that
 * starts is checked against the new holder. Then `SELECT … FOR UPDATE` waits for the batches that were
 * checked before the mark and are still in flight (they hold the row FOR KEY SHARE), so the lease is
 * returned only once nothing of the previous holder, or of ingest, can still commit. Locking first and
 * marking second would starve: appenders share the row lock, and a steady stream of them never leaves
 * a gap for FOR UPDATE, while after the mark new appenders are refused at once.
 */
export async function takeStore(db: pg.Pool | pg.ClientBase, storeId: string, activity: HeldActivity, label: string, leaseSeconds = DEFAULT_LEASE_SECONDS): Promise<Lease | null> {
  const clean = cleanLabel(label);
  const owner = ownerValue(clean);
  const { rowCount } = await db.query(
    `UPDATE event_stores
        SET activity = $2::"StoreActivity", lease_owner = $3, activity_started_at = clock_timestamp(),
            lease_expires_at = clock_timestamp() + make_interval(secs => $4)
      WHERE id = $1::uuid AND (activity = 'idle' OR lease_expires_at IS NULL OR lease_expires_at <= clock_timestamp())`,
    [storeId, activity, owner, leaseSeconds],
  );
  if (rowCount !== 1) return null;
  await db.query(`SELECT 1 FROM event_stores WHERE id = $1::uuid FOR UPDATE`, [storeId]);
  return { storeId, owner, activity, label: clean };
}

/** Extends a lease that still holds; false when it lapsed or was taken (a lapsed lease is never revived). */
export async function renewLease(db: pg.Pool | pg.ClientBase, lease: Lease, leaseSeconds = DEFAULT_LEASE_SECONDS): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE event_stores SET lease_expires_at = clock_timestamp() + make_interval(secs => $3)
      WHERE id = $1::uuid AND lease_owner = $2 AND activity = $4::"StoreActivity" AND lease_expires_at > clock_timestamp()`,
    [lease.storeId, lease.owner, leaseSeconds, lease.activity],
  );
  return rowCount === 1;
}

/**
 * Returns the store to idle if this lease still holds it. It does not wait for write batches in flight
 * (ingest may keep the row locked without pause): a batch of this lease checked before the release may
 * still commit after it, as any ingest batch could on an idle store, and the next `takeStore` waits for it.
 */
export async function releaseStore(db: pg.Pool | pg.ClientBase, lease: Lease): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL, activity_started_at = NULL
      WHERE id = $1::uuid AND lease_owner = $2 AND activity = $3::"StoreActivity"`,
    [lease.storeId, lease.owner, lease.activity],
  );
  return rowCount === 1;
}

/** The store's activity columns, or null when the store does not exist (any more). */
export async function readActivity(db: pg.Pool | pg.ClientBase, storeId: string): Promise<StoreActivityState | null> {
  const { rows } = await db.query(
    `SELECT activity, lease_owner, lease_expires_at, activity_started_at FROM event_stores WHERE id = $1::uuid`,
    [storeId],
  );
  const r = rows[0];
  return r ? { activity: r.activity, leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at, activityStartedAt: r.activity_started_at } : null;
}
