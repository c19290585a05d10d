import type pg from 'pg';

export interface StoreStats {
  eventCount: number;
  earliest: Date | null;
  latest: Date | null;
}

/** Event count and time span per store, in one grouped scan over the (store, time) index. */
export async function getStoreStats(pool: pg.Pool, storeIds: string[]): Promise<Map<string, StoreStats>> {
  const stats = new Map<string, StoreStats>(storeIds.map((id) => [id, { eventCount: 0, earliest: null, latest: null }]));
  if (storeIds.length === 0) return stats;
  const { rows } = await pool.query<{ store_id: string; n: string; earliest: Date; latest: Date }>(
    `SELECT store_id, count(*) AS n, min(event_time) AS earliest, max(event_time) AS latest
       FROM events WHERE store_id = ANY($1::uuid[]) GROUP BY store_id`,
    [storeIds],
  );
  for (const row of rows) {
    stats.set(row.store_id, { eventCount: Number(row.n), earliest: row.earliest, latest: row.latest });
  }
  return stats;
}
