import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { chain, node } from '@/lib/meters/fixtures';
import { executeRun } from '@/lib/pipeline/execute-run';
import { makeReplayWorld, replayDeps, replayRun, seedUsage, type ReplayWorld } from '@/lib/pipeline/pipeline-fixtures';
import type { RunScope } from '@/lib/runs/types';

afterAll(() => closePool());

/**
 * The engine with this helper's pieces: Event Store (a usage event a minute, units = i % 6, customers C0..C2)
 * → Aggregate (units per customer and hour, streamed) → Usage records, in real and dry runs.
 */
let world: ReplayWorld;
beforeEach(async () => {
  world = await makeReplayWorld();
  world.graph = chain([
    node('source', 'source.eventStore', { storeId: world.source.id }),
    node('hourly', 'processor.aggregate', { groupBy: ['customer'], timeField: 'at', window: { amount: 1, unit: 'hour' }, timeZone: 'UTC', measures: [{ name: 'total', fn: 'sum', field: 'units' }] }),
    node('usage', 'target.usageRecords', {
      mapping: { accountNumber: 'customer', unitOfMeasure: "'units'", quantity: 'total', startDateTime: 'windowStart', endDateTime: 'windowEnd', uniqueKey: "customer + '|' + windowStart" },
    }),
  ]);
  await seedUsage(world, 0, 300);
});

const run = async (scope: RunScope, dryRun = false) => {
  const { deps } = await replayDeps(world, dryRun ? { leases: new Map() } : {});
  await getPool().query(`UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`, [world.target.id]);
  return executeRun(replayRun(world, scope, { id: randomUUID(), dryRun }), deps, { eventStore: { pageSize: 25 } });
};

/** The meter's usage records, without what a rewrite changes (run_id, updated_at). */
async function usageRows() {
  const { rows } = await getPool().query(
    `SELECT unique_key, account_number, quantity::text AS quantity, start_date_time, end_date_time FROM usage_records WHERE meter_id = $1 ORDER BY unique_key`,
    [world.meter.id],
  );
  return rows;
}

/** Units per customer and hour, computed in SQL from the source. */
async function expectedTotals(from = '-infinity', to = 'infinity') {
  const { rows } = await getPool().query(
    `SELECT payload->>'customer' || '|' || to_char(date_trunc('hour', event_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS unique_key, sum((payload->>'units')::int)::text AS quantity
       FROM events WHERE store_id = $1 AND event_time >= $2::timestamptz AND event_time < $3::timestamptz GROUP BY 1 ORDER BY 1`,
    [world.source.id, from, to],
  );
  return rows;
}

describe('Aggregate → Usage records through the engine', () => {
  it('writes one record per customer and hour with the totals SQL computes; a replay leaves the table exactly as one run left it', async () => {
    const first = await run({ kind: 'all' });
    const once = await usageRows();
    expect(once.map(({ unique_key, quantity }) => ({ unique_key, quantity }))).toEqual(await expectedTotals());
    expect(once).toHaveLength(15);
    expect(first.progress.targets.usage).toEqual({ inserted: 15, replaced: 0, unchanged: 0, sent: 0 });
    expect(first.progress.partialWindows).toBe(0);

    const second = await run({ kind: 'all' });
    expect(await usageRows()).toEqual(once);
    expect(second.progress.targets.usage).toEqual({ inserted: 0, replaced: 15, unchanged: 0, sent: 0 });
  });

  it('marks the windows a frame cuts as partial', async () => {
    const outcome = await run({ kind: 'frame', from: '2026-01-01T00:30:00Z', to: '2026-01-01T02:30:00Z', timeZone: 'UTC' });
    // 00:00-01:00 and 02:00-03:00 are cut, for each of the three customers.
    expect(outcome.progress.partialWindows).toBe(6);
    expect((await usageRows()).map(({ unique_key, quantity }) => ({ unique_key, quantity }))).toEqual(await expectedTotals('2026-01-01T00:30:00Z', '2026-01-01T02:30:00Z'));
  });

  it('dry-runs a correction: what a frame replay would replace (the cut windows) and leave unchanged, writing nothing', async () => {
    await run({ kind: 'all' });
    const before = await getPool().query('SELECT unique_key, quantity, updated_at, run_id FROM usage_records WHERE meter_id = $1 ORDER BY unique_key', [world.meter.id]);
    const same = await run({ kind: 'all' }, true);
    expect(same.report!.targets.usage).toMatchObject({ inserted: 0, replaced: 0, unchanged: 15, samples: [] });

    const frame = await run({ kind: 'frame', from: '2026-01-01T00:30:00Z', to: '2026-01-01T02:30:00Z', timeZone: 'UTC' }, true);
    const report = frame.report!.targets.usage!;
    // The cut windows (00:00 and 02:00) would be replaced by their partial totals; 01:00 is whole and unchanged.
    expect(report).toMatchObject({ inserted: 0, replaced: 6, unchanged: 3 });
    expect(report.samples.map((s) => s.key)).toEqual(['C0', 'C1', 'C2'].map((c) => `${c}|2026-01-01T00:00:00.000Z`).concat(['C0', 'C1', 'C2'].map((c) => `${c}|2026-01-01T02:00:00.000Z`)));
    // C0 in 00:00-01:00: units 0 and 3 alternating, 20 events in all, 10 from 00:30.
    expect(report.samples[0]).toMatchObject({ change: 'replace', before: { quantity: 30 }, after: { quantity: 15 } });
    const after = await getPool().query('SELECT unique_key, quantity, updated_at, run_id FROM usage_records WHERE meter_id = $1 ORDER BY unique_key', [world.meter.id]);
    expect(after.rows).toEqual(before.rows);
  });
});
