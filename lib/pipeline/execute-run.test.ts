import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { appendEvents } from '@/lib/event-store/append-events';
import { takeStore } from '@/lib/event-store/store-status';
import { closePool, getPool } from '@/lib/db/pool';
import { executeRun } from '@/lib/pipeline/execute-run';
import { makeReplayWorld, replayDeps, replayRun, seedUsage, storedEvents, usageEvent, type ReplayWorld } from '@/lib/pipeline/pipeline-fixtures';

afterAll(() => closePool());

let world: ReplayWorld;
beforeEach(async () => {
  world = await makeReplayWorld();
});

const count = async (sql: string, values: unknown[]) => (await getPool().query<{ n: number }>(sql, values)).rows[0]!.n;
/** Source events passing the Filter (units > 2) in [from, to), counted in SQL. */
const passing = (storeId: string, from = '-infinity', to = 'infinity') =>
  count(`SELECT count(*)::int AS n FROM events WHERE store_id = $1 AND (payload->>'units')::int > 2 AND event_time >= $2::timestamptz AND event_time < $3::timestamptz`, [storeId, from, to]);

/** How many of usage events from..to-1 pass the Filter (units = i % 6 > 2). */
const passingIn = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k).filter((i) => i % 6 > 2).length;

describe('executeRun: Event Store → Filter → Map → Event Store', () => {
  it('over all time writes every event that passes the filter, shaped by the map, and counts each node, edge and target', async () => {
    await seedUsage(world, 0, 120);
    const { deps, seen } = await replayDeps(world);
    const outcome = await executeRun(replayRun(world, { kind: 'all' }), deps, { eventStore: { pageSize: 25 } });
    const expected = await passing(world.source.id);
    expect(expected).toBe(60);
    const stored = await storedEvents(world.target.id);
    expect(stored).toHaveLength(expected);
    expect(stored[0]).toMatchObject({ event_id: 'e00003', payload: { id: 'e00003', customer: 'C0', units: 3, doubled: 6 } });
    expect(stored[0]!.event_time.toISOString()).toBe('2026-01-01T00:03:00.000Z');
    expect(outcome.report).toBeNull();
    expect(outcome.progress).toEqual({
      read: 120,
      nodes: {
        source: { in: 120, out: 120, dropped: 0, rejected: 0 },
        filter: { in: 120, out: 60, dropped: 60, rejected: 0 },
        map: { in: 60, out: 60, dropped: 0, rejected: 0 },
        target: { in: 60, out: 60, dropped: 0, rejected: 0 },
      },
      edges: { 'source-filter': 120, 'filter-map': 60, 'map-target': 60 },
      targets: { target: { inserted: 60, replaced: 0, unchanged: 0, sent: 0 } },
      partialWindows: 0,
    });
    // One progress report per page (5) and one at the end; the read count only grows.
    expect(seen.progress.map((p) => p.read)).toEqual([25, 50, 75, 100, 120, 120]);
    expect(seen.errors).toEqual([]);
  });

  it('over a frame writes exactly the events in [from, to) that pass the filter', async () => {
    await seedUsage(world, 0, 200);
    const from = '2026-01-01T00:30:00.000Z';
    const to = '2026-01-01T02:00:00.000Z';
    const { deps } = await replayDeps(world);
    const outcome = await executeRun(replayRun(world, { kind: 'frame', from, to, timeZone: 'UTC' }), deps, { eventStore: { pageSize: 7 } });
    const expected = await passing(world.source.id, from, to);
    expect(expected).toBe(45);
    const stored = await storedEvents(world.target.id);
    expect(stored).toHaveLength(expected);
    expect(stored[0]!.event_id).toBe('e00033');
    expect(stored.at(-1)!.event_id).toBe('e00119');
    expect(outcome.progress.read).toBe(90);
  });

  it('replays idempotently: the same scope twice leaves the target exactly as one run left it', async () => {
    await seedUsage(world, 0, 60);
    const first = await replayDeps(world);
    await executeRun(replayRun(world, { kind: 'all' }), first.deps, { eventStore: { pageSize: 10 } });
    const once = await storedEvents(world.target.id);
    await getPool().query(`UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`, [world.target.id]);
    const second = await replayDeps(world);
    const outcome = await executeRun(replayRun(world, { kind: 'all' }), second.deps, { eventStore: { pageSize: 10 } });
    expect(await storedEvents(world.target.id)).toEqual(once);
    expect(outcome.progress.targets.target).toEqual({ inserted: 0, replaced: 30, unchanged: 0, sent: 0 });
  });

  it('an overlapping scope replaces the events it shares with the first run and never adds them twice', async () => {
    await seedUsage(world, 0, 120);
    const first = await replayDeps(world);
    await executeRun(replayRun(world, { kind: 'frame', from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:20:00Z', timeZone: 'UTC' }), first.deps);
    await getPool().query(`UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`, [world.target.id]);
    const second = await replayDeps(world);
    const outcome = await executeRun(replayRun(world, { kind: 'frame', from: '2026-01-01T00:40:00Z', to: '2026-01-01T02:00:00Z', timeZone: 'UTC' }), second.deps);
    // Minutes 40..79 were written by both runs: those passing the filter were replaced; 80..119 are new.
    expect(outcome.progress.targets.target).toEqual({ inserted: passingIn(80, 120), replaced: passingIn(40, 80), unchanged: 0, sent: 0 });
    expect(await storedEvents(world.target.id)).toHaveLength(await passing(world.source.id));
  });

  it('counts a record whose id came earlier in the run, even in the same batch, as replaced: inserted + replaced = written', async () => {
    await seedUsage(world, 0, 30);
    // The event id is the customer: 3 ids, every later record replaces the earlier one.
    const graph = { ...world.graph, nodes: world.graph.nodes.map((n) => (n.id === 'target' ? { ...n, config: { ...(n.config as object), mapping: { id: 'customer', at: 'at', customer: 'customer', units: 'units', doubled: 'doubled' } } } : n)) };
    const { deps } = await replayDeps(world);
    const outcome = await executeRun(replayRun(world, { kind: 'all' }, { graph }), deps, { eventStore: { pageSize: 10 } });
    expect(outcome.progress.targets.target).toEqual({ inserted: 3, replaced: passingIn(0, 30) - 3, unchanged: 0, sent: 0 });
    // The last record of each customer won.
    expect((await storedEvents(world.target.id)).map((e) => [e.event_id, e.payload.units, e.event_time.getUTCMinutes()])).toEqual([
      ['C0', 3, 27],
      ['C1', 4, 28],
      ['C2', 5, 29],
    ]);
  });

  it('reads its scope as of its start: events ingested while it runs are all out', async () => {
    await seedUsage(world, 0, 100);
    const { deps } = await replayDeps(world);
    let late = 1_000;
    const outcome = await executeRun(replayRun(world, { kind: 'all' }), deps, {
      eventStore: {
        pageSize: 10,
        // Between pages: new events before, inside and after the part already read, and a replaced event.
        afterPage: async () => {
          await appendEvents(getPool(), world.source.id, [usageEvent(late++), { ...usageEvent(99), payload: { ...usageEvent(99).payload, units: 5 } }, { ...usageEvent(late++), eventTime: new Date('2025-12-31T00:00:00Z') }]);
        },
      },
    });
    expect(outcome.progress.read).toBe(100);
    const stored = await storedEvents(world.target.id);
    expect(stored).toHaveLength(passingIn(0, 100));
    // Event 99 as it was when the run started, not as replaced meanwhile.
    expect(stored.find((e) => e.event_id === 'e00099')?.payload).toMatchObject({ units: 3, doubled: 6 });
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE store_id = $1`, [world.source.id])).toBeGreaterThanOrEqual(100 + 20);
  });

  it('cancel stops between batches: what was written before stays, nothing after, and the run throws the reason', async () => {
    await seedUsage(world, 0, 100);
    const controller = new AbortController();
    const reason = new Error('Cancelled by a test');
    const { deps } = await replayDeps(world, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.read === 30) controller.abort(reason);
      },
    });
    await expect(executeRun(replayRun(world, { kind: 'all' }), deps, { eventStore: { pageSize: 10 } })).rejects.toBe(reason);
    // Batches 1 and 2 were written; batch 3 was being reported when the cancel came and was not written.
    expect(await storedEvents(world.target.id)).toHaveLength(passingIn(0, 20));
  });

  it('a lease taken away mid-run fails the run with LEASE_LOST and writes nothing more', async () => {
    await seedUsage(world, 0, 100);
    const { deps } = await replayDeps(world, {
      onProgress: async (p) => {
        if (p.read !== 30) return;
        // The lease lapses (its holder stalled) and a backfill takes the store.
        await getPool().query(`UPDATE event_stores SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [world.target.id]);
        await takeStore(getPool(), world.target.id, 'deleting', 'backfill by a test');
      },
    });
    await expect(executeRun(replayRun(world, { kind: 'all' }), deps, { eventStore: { pageSize: 10 } })).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await storedEvents(world.target.id)).toHaveLength(passingIn(0, 20));
  });

  it('counts and reports refused records; under the stop policy the first ends the run before its batch is written', async () => {
    await seedUsage(world, 0, 30);
    // An event the store took without a customer (an older definition): the target's required field is missing.
    const broken = usageEvent(40);
    delete broken.payload.customer;
    await appendEvents(getPool(), world.source.id, [broken]);
    const skip = await replayDeps(world);
    const outcome = await executeRun(replayRun(world, { kind: 'all' }), skip.deps, { eventStore: { pageSize: 10 } });
    expect(outcome.progress.nodes.target).toEqual({ in: 16, out: 15, dropped: 0, rejected: 1 });
    expect(skip.seen.errors).toEqual([{ nodeId: 'target', reason: expect.stringContaining('customer'), record: expect.objectContaining({ id: 'e00040' }) }]);
    expect(await storedEvents(world.target.id)).toHaveLength(15);

    const other = await makeReplayWorld();
    await seedUsage(other, 0, 30);
    await appendEvents(getPool(), other.source.id, [{ ...broken, eventTime: new Date('2025-12-31T00:00:00Z') }]);
    const stop = await replayDeps(other);
    await expect(executeRun(replayRun(other, { kind: 'all' }, { errorPolicy: 'stop' }), stop.deps, { eventStore: { pageSize: 10 } })).rejects.toMatchObject({
      code: 'RECORD_ERROR',
      message: expect.stringMatching(/^Event Store target refused a record: .*customer/),
    });
    expect(stop.seen.errors).toHaveLength(1);
    expect(await storedEvents(other.target.id)).toHaveLength(0);
  });
});
