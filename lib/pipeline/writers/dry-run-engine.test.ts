import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { executeRun } from '@/lib/pipeline/execute-run';
import { makeReplayWorld, replayDeps, replayRun, seedUsage, storedEvents } from '@/lib/pipeline/pipeline-fixtures';

afterAll(() => closePool());

describe('a dry run of Event Store → Filter → Map → Event Store through the engine', () => {
  it('reports inserts before the first run, then unchanged, then replaces after a change upstream, and never writes', async () => {
    const world = await makeReplayWorld();
    await seedUsage(world, 0, 120);
    const dry = async () => {
      const { deps } = await replayDeps(world, { leases: new Map() });
      await getPool().query(`UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`, [world.target.id]);
      return (await executeRun(replayRun(world, { kind: 'all' }, { id: randomUUID(), dryRun: true }), deps, { eventStore: { pageSize: 25 } })).report!.targets.target!;
    };

    const first = await dry();
    expect(first).toMatchObject({ inserted: 60, replaced: 0, unchanged: 0 });
    expect(first.samples).toHaveLength(20);
    expect(first.samples[0]).toEqual({ change: 'insert', key: 'e00003', after: { id: 'e00003', at: '2026-01-01T00:03:00.000Z', customer: 'C0', units: 3, doubled: 6 } });
    expect(await storedEvents(world.target.id)).toEqual([]);

    const { deps } = await replayDeps(world);
    await executeRun(replayRun(world, { kind: 'all' }), deps, { eventStore: { pageSize: 25 } });
    const written = await storedEvents(world.target.id);
    expect(await dry()).toMatchObject({ inserted: 0, replaced: 0, unchanged: 60, samples: [] });

    // Upstream correction: three source events get more units; a replay would replace exactly those.
    await getPool().query(`UPDATE events SET payload = jsonb_set(payload, '{units}', '5') WHERE store_id = $1 AND event_id IN ('e00003', 'e00004', 'e00009')`, [world.source.id]);
    const corrected = await dry();
    expect(corrected).toMatchObject({ inserted: 0, replaced: 3, unchanged: 57 });
    expect(corrected.samples[0]).toMatchObject({ change: 'replace', key: 'e00003', before: { units: 3, doubled: 6 }, after: { units: 5, doubled: 10 } });
    expect(await storedEvents(world.target.id)).toEqual(written);
  });
});
