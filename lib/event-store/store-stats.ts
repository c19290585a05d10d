import type pg from 'pg';

export interface StoreStats {
  eventCount: number;
  earliest: Date | null;
  latest: Date | null;
}

/**
 * Event count and time span per store, read from `event_store_stats`: one primary-key probe per store,
 * whatever the stores hold. The row is kept by triggers on `events` in the same statement as every write
 * (see docs/ARCHITECTURE.md, "Maintained store stats"); a store that never had an event has none.
 */
export async function getStoreStats(db: pg.Pool | pg.PoolClient, storeIds: string[]): Promise<Map<string, StoreStats>> {
  const stats = new Map<string, StoreStats>(storeIds.map((id) => [id, { eventCount: 0, earliest: null, latest: null }]));
  if (storeIds.length === 0) return stats;
  const { rows } = await db.query<{ store_id: string; n: string; earliest: Date | null; latest: Date | null }>(
    `SELECT store_id, event_count AS n, earliest, latest FROM event_store_stats WHERE store_id = ANY($1::uuid[])`,
    [storeIds],
  );
  for (const row of rows) {
    stats.set(row.store_id, { eventCount: Number(row.n), earliest: row.earliest, latest: row.latest });
  }
  return stats;
}
