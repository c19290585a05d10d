import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@/lib/db/create-pool';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { deleteEvents } from '@/lib/event-store/delete-events';
import { getStoreStats } from '@/lib/event-store/store-stats';
import { makeDefinition, makeStore, makeWorkspace } from '@/lib/testing/factories';

let workspaceId: string;
let definitionId: string;
beforeAll(async () => {
  const workspace = await makeWorkspace();
  workspaceId = workspace.id;
  definitionId = (await makeDefinition(workspace.id)).id;
});
afterAll(async () => {
  await getPool().query('DELETE FROM workspaces WHERE id = $1', [workspaceId]);
  await closePool();
});

const newStore = async () => (await makeStore(workspaceId, definitionId)).id;

/** What the maintained tables say about a store, and the same numbers counted afresh from `events`. */
async function maintainedAndFresh(pool: pg.Pool, storeId: string) {
  const maintained = (await getStoreStats(pool, [storeId])).get(storeId)!;
  const hours = await pool.query<{ hour: Date; n: string }>(
    `SELECT hour, event_count AS n FROM event_store_hours WHERE store_id = $1 ORDER BY hour`,
    [storeId],
  );
  const fresh = await pool.query<{ n: string; earliest: Date | null; latest: Date | null }>(
    `SELECT count(*) AS n, min(event_time) AS earliest, max(event_time) AS latest FROM events WHERE store_id = $1`,
    [storeId],
  );
  const freshHours = await pool.query<{ hour: Date; n: string }>(
    `SELECT date_trunc('hour', event_time, 'UTC') AS hour, count(*) AS n FROM events WHERE store_id = $1 GROUP BY 1 ORDER BY 1`,
    [storeId],
  );
  const f = fresh.rows[0]!;
  return {
    maintained: { ...maintained, hours: hours.rows.map((r) => [r.hour.toISOString(), Number(r.n)]) },
    fresh: { eventCount: Number(f.n), earliest: f.earliest, latest: f.latest, hours: freshHours.rows.map((r) => [r.hour.toISOString(), Number(r.n)]) },
  };
}

async function expectConsistent(pool: pg.Pool, storeId: string) {
  const { maintained, fresh } = await maintainedAndFresh(pool, storeId);
  expect(maintained).toEqual(fresh);
}

// Times cluster in a few hours (so boundaries and hour buckets are shared and moved often), plus the
// extremes of the calendar.
const HOURS = ['2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z', '2026-03-01T13:00:00Z', '2026-03-02T00:00:00Z'].map(Date.parse);
const EXTREMES = [Date.parse('0001-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59.999Z'), Date.parse('1970-01-01T00:00:00Z')];
const eventTime = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...HOURS), fc.integer({ min: 0, max: 3_599_999 })).map(([h, ms]) => new Date(h + ms)) },
  { weight: 1, arbitrary: fc.constantFrom(...EXTREMES).map((t) => new Date(t)) },
);

type Op =
  | { kind: 'ingest'; store: 0 | 1; times: Date[] }
  | { kind: 'replace'; store: 0 | 1; picks: number[]; times: Date[] }
  | { kind: 'delete'; store: 0 | 1; picks: number[] }
  | { kind: 'deleteAll'; store: 0 | 1 };

const store = fc.constantFrom<0 | 1>(0, 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('ingest' as const), store, times: fc.array(eventTime, { minLength: 1, maxLength: 8 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('replace' as const), store, picks: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), times: fc.array(eventTime, { minLength: 5, maxLength: 5 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), store, picks: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteAll' as const), store }) },
);

describe('maintained store stats', () => {
  it('equal a fresh count after any sequence of ingests, replacements and deletes across two stores', async () => {
    const pool = getPool();
    let nextId = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const stores = [await newStore(), await newStore()] as const;
        const ids: [string[], string[]] = [[], []];
        for (const o of ops) {
          const storeId = stores[o.store];
          const held = ids[o.store];
          const picked = (picks: number[]) => [...new Set(held.length ? picks.map((p) => held[p % held.length]!) : [])];
          if (o.kind === 'ingest') {
            const events = o.times.map((t) => ({ eventId: `e${nextId++}`, eventTime: t, payload: {} }));
            await appendEvents(pool, storeId, events);
            held.push(...events.map((e) => e.eventId));
          } else if (o.kind === 'replace') {
            const events = picked(o.picks).map((id, i) => ({ eventId: id, eventTime: o.times[i]!, payload: { replaced: true } }));
            await appendEvents(pool, storeId, events);
          } else if (o.kind === 'delete') {
            const gone = picked(o.picks);
            await deleteEvents(pool, storeId, gone);
            ids[o.store] = held.filter((id) => !gone.includes(id));
          } else {
            await deleteEvents(pool, storeId, held);
            ids[o.store] = [];
          }
          await expectConsistent(pool, stores[0]);
          await expectConsistent(pool, stores[1]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('count every event when several connections write and delete in one store at once, without deadlock', async () => {
    const storeId = await newStore();
    const pools = [createPool({ connectionString: process.env.DATABASE_URL!, max: 2 }), createPool({ connectionString: process.env.DATABASE_URL!, max: 2 })];
    try {
      const batch = (lane: number, b: number) =>
        Array.from({ length: 200 }, (_, i) => ({ eventId: `l${lane}-${b}-${i}`, eventTime: new Date(HOURS[(b + i) % HOURS.length]! + i * 1000), payload: {} }));
      await Promise.all(
        pools.map(async (pool, lane) => {
          for (let b = 0; b < 10; b++) {
            await appendEvents(pool, storeId, batch(lane, b));
            if (b % 3 === 2) await deleteEvents(pool, storeId, batch(lane, b - 1).slice(0, 50).map((e) => e.eventId));
          }
        }),
      );
      await expectConsistent(getPool(), storeId);
      expect((await getStoreStats(getPool(), [storeId])).get(storeId)!.eventCount).toBe(2 * (10 * 200 - 3 * 50));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('lets a second writer of the store wait for the first to commit, then counts both', async () => {
    const storeId = await newStore();
    const [a, b] = [await getPool().connect(), await getPool().connect()];
    try {
      await a.query('BEGIN');
      await a.query(`INSERT INTO events (store_id, event_id, event_time, payload) VALUES ($1, 'a1', '2026-03-01T10:00:00Z', '{}')`, [storeId]);
      // b's statement succeeds on its own row, then waits in the trigger for a's lock on the store's totals.
      const second = b.query(`INSERT INTO events (store_id, event_id, event_time, payload) VALUES ($1, 'b1', '2026-03-01T09:00:00Z', '{}')`, [storeId]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.query(`DELETE FROM events WHERE store_id = $1 AND event_id = 'a1'`, [storeId]);
      await a.query(`INSERT INTO events (store_id, event_id, event_time, payload) VALUES ($1, 'a2', '2026-03-01T12:00:00Z', '{}')`, [storeId]);
      await a.query('COMMIT');
      await second;
      await expectConsistent(getPool(), storeId);
      expect((await getStoreStats(getPool(), [storeId])).get(storeId)).toEqual({
        eventCount: 2,
        earliest: new Date('2026-03-01T09:00:00Z'),
        latest: new Date('2026-03-01T12:00:00Z'),
      });
    } finally {
      await a.query('ROLLBACK').catch(() => undefined);
      a.release();
      b.release();
    }
  });

  it('find the new earliest and latest when the boundary events are deleted or moved', async () => {
    const pool = getPool();
    const storeId = await newStore();
    const at = (t: string) => new Date(t);
    await appendEvents(pool, storeId, [
      { eventId: 'first', eventTime: at('2026-03-01T10:00:00Z'), payload: {} },
      { eventId: 'second', eventTime: at('2026-03-01T10:30:00Z'), payload: {} },
      { eventId: 'third', eventTime: at('2026-03-03T08:00:00Z'), payload: {} },
      { eventId: 'last', eventTime: at('2026-03-05T23:59:00Z'), payload: {} },
    ]);
    await deleteEvents(pool, storeId, ['first']);
    await appendEvents(pool, storeId, [{ eventId: 'last', eventTime: at('2026-03-02T00:00:00Z'), payload: {} }]);
    expect((await getStoreStats(pool, [storeId])).get(storeId)).toEqual({ eventCount: 3, earliest: at('2026-03-01T10:30:00Z'), latest: at('2026-03-03T08:00:00Z') });
    await expectConsistent(pool, storeId);
  });

  it('reads zero for a store without events, and deleting a store with events (and its workspace) works', async () => {
    const pool = getPool();
    const empty = await newStore();
    expect((await getStoreStats(pool, [empty])).get(empty)).toEqual({ eventCount: 0, earliest: null, latest: null });
    const workspace = await makeWorkspace();
    const doomed = await makeStore(workspace.id, (await makeDefinition(workspace.id)).id);
    const other = await makeStore(workspace.id, doomed.definitionId);
    await appendEvents(pool, doomed.id, [{ eventId: 'x', eventTime: new Date('2026-03-01T10:00:00Z'), payload: {} }]);
    await appendEvents(pool, other.id, [{ eventId: 'y', eventTime: new Date('2026-03-01T10:00:00Z'), payload: {} }]);
    await pool.query('DELETE FROM event_stores WHERE id = $1', [doomed.id]);
    await pool.query('DELETE FROM workspaces WHERE id = $1', [workspace.id]);
    const left = await pool.query('SELECT count(*)::int AS n FROM event_store_hours WHERE store_id = ANY($1::uuid[])', [[doomed.id, other.id]]);
    expect(left.rows[0].n).toBe(0);
  });
});
