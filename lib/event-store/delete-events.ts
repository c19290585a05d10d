import type pg from 'pg';

/** Deletes events of one store by id in one set-based statement; returns how many existed. */
export async function deleteEvents(pool: pg.Pool | pg.PoolClient, storeId: string, eventIds: string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const result = await pool.query(
    `DELETE FROM events WHERE store_id = $1::uuid AND event_id = ANY($2::text[])`,
    [storeId, eventIds],
  );
  return result.rowCount ?? 0;
}
