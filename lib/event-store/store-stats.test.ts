import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { getStoreStats } from '@/lib/event-store/store-stats';

describe('getStoreStats', () => {
  afterAll(() => closePool());

  it('counts events and finds the earliest and latest time per store; empty stores get zero', async () => {
    const pool = getPool();
    const suffix = randomUUID().slice(0, 8);
    const { rows: [ws] } = await pool.query(
      `INSERT INTO workspaces (id, slug, name) VALUES (gen_random_uuid(), $1, 'stats') RETURNING id`,
      [`stats-${suffix}`],
    );
    const { rows: [def] } = await pool.query(
      `INSERT INTO event_definitions (id, workspace_id, name, fields, event_id_field, event_time_field, updated_at)
       VALUES (gen_random_uuid(), $1, 'd', '[]', 'id', 'at', now()) RETURNING id`,
      [ws.id],
    );
    const store = async (name: string) =>
      (await pool.query(`INSERT INTO event_stores (id, workspace_id, definition_id, name) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`, [ws.id, def.id, name])).rows[0].id as string;
    const full = await store('full');
    const empty = await store('empty');
    await pool.query(
      `INSERT INTO events (store_id, event_id, event_time, payload)
       SELECT $1, 'e' || i, timestamptz '2026-01-01T00:00:00Z' + make_interval(hours => i), '{}' FROM generate_series(1, 25) i`,
      [full],
    );
    const stats = await getStoreStats(pool, [full, empty]);
    expect(stats.get(full)).toEqual({
      eventCount: 25,
      earliest: new Date('2026-01-01T01:00:00Z'),
      latest: new Date('2026-01-02T01:00:00Z'),
    });
    expect(stats.get(empty)).toEqual({ eventCount: 0, earliest: null, latest: null });
    await pool.query(`DELETE FROM workspaces WHERE id = $1`, [ws.id]).catch(() => undefined);
  });
});
