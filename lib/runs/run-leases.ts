import type pg from 'pg';
import type { AppError } from '@/lib/errors';
import { DEFAULT_LEASE_SECONDS, holderLabel, renewLease, takeStore, type Lease } from '@/lib/event-store/store-status';
import { keepLease } from '@/lib/event-store/with-store';
import { heldError } from '@/lib/runs/held-store';

/** The target stores a worker holds for its run, kept renewed until `stop`. */
export interface HeldLeases {
  leases: ReadonlyMap<string, Lease>;
  stop(): void;
}

/**
 * Adopts the leases the run action took for the run (meter_run_targets): each is renewed with its
 * recorded token; one that lapsed while the run waited in the queue is taken again (with a new token,
 * recorded in place of the old one). If someone else holds a store by then, the run cannot go on:
 * throws STORE_BUSY naming the holder, after giving back what it adopted. Then keeps every lease renewed
 * (keepLease, as withStore does) and calls `lose` once when any is lost.
 */
export async function adoptRunLeases(pool: pg.Pool, runId: string, label: string, lose: (error: AppError) => void): Promise<HeldLeases> {
  const { rows } = await pool.query<{ store_id: string; store_name: string; lease_owner: string }>(
    `SELECT t.store_id, s.name AS store_name, t.lease_owner FROM meter_run_targets t JOIN event_stores s ON s.id = t.store_id
      WHERE t.run_id = $1 ORDER BY t.store_id`,
    [runId],
  );
  const leases = new Map<string, Lease>();
  const keepers: { stop(): void }[] = [];
  const stop = () => keepers.forEach((k) => k.stop());
  try {
    for (const row of rows) {
      const store = { id: row.store_id, name: row.store_name };
      const recorded: Lease = { storeId: row.store_id, owner: row.lease_owner, activity: 'writing', label: holderLabel(row.lease_owner) ?? label };
      const sentAt = performance.now();
      let lease: Lease | null = (await renewLease(pool, recorded)) ? recorded : null;
      if (!lease) {
        lease = await takeStore(pool, row.store_id, 'writing', label);
        if (!lease) throw await heldError(pool, store);
        await pool.query(`UPDATE meter_run_targets SET lease_owner = $3 WHERE run_id = $1 AND store_id = $2`, [runId, row.store_id, lease.owner]);
      }
      leases.set(row.store_id, lease);
      keepers.push(keepLease(pool, store, lease, DEFAULT_LEASE_SECONDS, sentAt, lose));
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { leases, stop };
}
