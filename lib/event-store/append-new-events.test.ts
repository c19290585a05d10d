import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { getStoreStats } from '@/lib/event-store/store-stats';
import { releaseStore, takeStore } from '@/lib/event-store/store-status';
import { makeStore, makeTenant } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(() => closePool());

const newStore = async () => (await makeStore(tenant.workspace.id, tenant.definition.id)).id;
const event = (i: number, round = 0): ValidEvent => ({
  eventId: `e${String(i).padStart(5, '0')}`,
  eventTime: new Date(Date.UTC(2026, 0, 1, i % 24, i % 60)),
  payload: { id: `e${i}`, round, text: 'tab\there, newline\nthere, backslash \\' },
});
const range = (from: number, to: number, round = 0) => Array.from({ length: to - from }, (_, k) => event(from + k, round));
const contents = async (storeId: string) =>
  (await getPool().query<{ event_id: string; round: number }>(`SELECT event_id, (payload->>'round')::int AS round FROM events WHERE store_id = $1 ORDER BY event_id`, [storeId])).rows;

describe('appendEvents with expectNew (a plain COPY first, the upsert when an id is stored)', () => {
  it('copies a batch of new ids, and stores exactly what the upsert stores, stats included', async () => {
    const [copied, upserted] = [await newStore(), await newStore()];
    const batch = [...range(0, 300), event(7, 1)]; // e00007 twice: the last one wins in both
    expect(await appendEvents(getPool(), copied, batch, { expectNew: true })).toEqual({ written: 300, inserted: 300, copied: true });
    expect(await appendEvents(getPool(), upserted, batch)).toEqual({ written: 300, inserted: 300 });
    const { rows } = await getPool().query(
      `SELECT a.event_id, a.event_time = b.event_time AND a.payload = b.payload AS same FROM events a JOIN events b ON b.event_id = a.event_id AND b.store_id = $2 WHERE a.store_id = $1`,
      [copied, upserted],
    );
    expect(rows).toHaveLength(300);
    expect(rows.every((r) => r.same)).toBe(true);
    const stats = await getStoreStats(getPool(), [copied, upserted]);
    expect(stats.get(copied)).toEqual(stats.get(upserted));
    expect(stats.get(copied)!.eventCount).toBe(300);
  });

  it('falls back to the upsert when any id is stored already, wherever it sits in the batch, and counts right', async () => {
    const storeId = await newStore();
    await appendEvents(getPool(), storeId, [event(250)]);
    expect(await appendEvents(getPool(), storeId, range(0, 300, 1), { expectNew: true })).toEqual({ written: 300, inserted: 299 });
    expect(await appendEvents(getPool(), storeId, range(0, 300, 2), { expectNew: true })).toEqual({ written: 300, inserted: 0 });
    const rows = await contents(storeId);
    expect(rows).toHaveLength(300);
    expect(rows.every((r) => r.round === 2)).toBe(true);
    expect((await getStoreStats(getPool(), [storeId])).get(storeId)!.eventCount).toBe(300);
  });

  it('falls back inside a caller’s transaction and leaves it usable', async () => {
    const storeId = await newStore();
    await appendEvents(getPool(), storeId, [event(3)]);
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      expect(await appendEvents(client, storeId, range(0, 10, 1), { expectNew: true })).toEqual({ written: 10, inserted: 9 });
      expect(await appendEvents(client, storeId, range(10, 20, 1), { expectNew: true })).toEqual({ written: 10, inserted: 10, copied: true });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await contents(storeId)).map((r) => r.round)).toEqual(Array(20).fill(1));
  });

  it('two writers of the same new ids at once: no deadlock, no failure, one event per id', async () => {
    const storeId = await newStore();
    for (let round = 0; round < 4; round++) {
      const ids = range(round * 1_000, (round + 1) * 1_000, round);
      const results = await Promise.allSettled([
        appendEvents(getPool(), storeId, ids, { expectNew: true }),
        appendEvents(getPool(), storeId, [...ids].reverse(), { expectNew: true }),
      ]);
      expect(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])), `round ${round}`).toEqual([]);
      const inserted = results.map((r) => (r.status === 'fulfilled' ? r.value.inserted : -1));
      expect(inserted.reduce((a, b) => a + b)).toBe(1_000);
    }
    expect(await contents(storeId)).toHaveLength(4_000);
    expect((await getStoreStats(getPool(), [storeId])).get(storeId)!.eventCount).toBe(4_000);
  });

  it('writes nothing once the lease is gone, copy or not', async () => {
    const storeId = await newStore();
    const lease = (await takeStore(getPool(), storeId, 'writing', 'test run'))!;
    await releaseStore(getPool(), lease);
    await expect(appendEvents(getPool(), storeId, range(0, 5), { expectNew: true, lease })).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await contents(storeId)).toEqual([]);
  });
});
