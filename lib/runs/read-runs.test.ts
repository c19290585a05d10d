import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { stopRunQueue } from '@/lib/runs/queue';
import { getRunView, lastRunsOfMeters, listRuns } from '@/lib/runs/read-runs';
import { startRun } from '@/lib/runs/start-run';
import { makeTenant, scopeOf } from '@/lib/testing/factories';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
let meters: { id: string }[];
const runs: string[] = [];

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  meters = [(await makeCopyMeter(a)).meter, (await makeCopyMeter(a)).meter, (await makeCopyMeter(a)).meter];
  for (const meter of [meters[0]!, meters[1]!, meters[0]!]) {
    runs.push((await startRun(scopeOf(a.workspace, a.owner), { meterId: meter.id, scope: { kind: 'all' }, dryRun: true, idempotencyKey: randomUUID() })).runId);
  }
  await getPool().query(`UPDATE meter_runs SET progress = '{"read": 7, "targets": {"dst": {"inserted": 3, "replaced": 2, "unchanged": 0, "sent": 0}}}' WHERE id = $1`, [runs[2]]);
});
afterAll(async () => {
  await stopRunQueue();
  await disconnectPrisma();
});

describe('listRuns', () => {
  it('pages newest first by keyset, with a cursor for the next page and none after the last', async () => {
    const first = await listRuns(a.workspace.id, { limit: 2 });
    expect(first.runs.map((r) => r.id)).toEqual([runs[2], runs[1]]);
    const second = await listRuns(a.workspace.id, { limit: 2, before: first.next! });
    expect(second).toEqual({ runs: [expect.objectContaining({ id: runs[0] })], next: null });
  });

  it("filters by meter, and never shows another workspace's runs", async () => {
    expect((await listRuns(a.workspace.id, { meterId: meters[0]!.id })).runs.map((r) => r.id)).toEqual([runs[2], runs[0]]);
    expect(await listRuns(b.workspace.id)).toEqual({ runs: [], next: null });
    expect(await listRuns(b.workspace.id, { meterId: meters[0]!.id })).toEqual({ runs: [], next: null });
    expect(await getRunView(b.workspace.id, runs[0]!)).toBeNull();
    expect(await getRunView(a.workspace.id, 'not-a-uuid')).toBeNull();
  });

  it('refuses a cursor it did not give out', async () => {
    await expect(listRuns(a.workspace.id, { before: 'bm9wZQ' })).rejects.toThrow('The “before” cursor is not one this API gave out; start from the first page.');
  });
});

describe('lastRunsOfMeters', () => {
  it("gives each meter's latest run with what it read and wrote; a meter never run is absent", async () => {
    const last = await lastRunsOfMeters(a.workspace.id, meters.map((m) => m.id));
    expect(last.get(meters[0]!.id)).toEqual({ id: runs[2], status: 'queued', finishedAt: null, read: 7, written: 5 });
    expect(last.get(meters[1]!.id)).toMatchObject({ id: runs[1], read: 0, written: 0 });
    expect(last.has(meters[2]!.id)).toBe(false);
    expect((await lastRunsOfMeters(b.workspace.id, [meters[0]!.id])).size).toBe(0);
  });
});
