import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { cancelRun } from '@/lib/runs/cancel-run';
import { ingestMeterRecords } from '@/lib/runs/meter-ingest';
import { stopRunQueue } from '@/lib/runs/queue';
import { startRun } from '@/lib/runs/start-run';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

afterAll(async () => {
  await stopRunQueue();
  await disconnectPrisma();
});

const waiting = async (meterId: string) => Number((await getPool().query(`SELECT count(*) AS n FROM meter_ingest_records WHERE meter_id = $1`, [meterId])).rows[0].n);

describe('the live ingest buffer', () => {
  // No worker takes runs from this file's queue: the live run stays queued and its buffer only grows.
  it('refuses a request that would pass the backlog limit, whole, and keeps what waits', async () => {
    const tenant = await makeTenant();
    const { meter } = await makeCopyMeter(tenant, { source: 'http' });
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const { runId } = await startRun(scope, { meterId: meter.id, scope: { kind: 'live' }, idempotencyKey: randomUUID() });
    const record = (id: string) => ({ id, at: '2026-01-01T00:00:00Z' });
    expect(await ingestMeterRecords(tenant.workspace.id, meter.id, [record('a'), record('b')], getPool(), { backlogLimit: 3 })).toEqual({ accepted: 2, runId });
    const refused = ingestMeterRecords(tenant.workspace.id, meter.id, [record('c'), record('d')], getPool(), { backlogLimit: 3 });
    await expect(refused).rejects.toMatchObject({ code: 'INGEST_BACKLOG_FULL', status: 429 });
    await expect(refused).rejects.toThrow(/already has 2 records waiting for its live run \(at most 3 may wait\).*nothing was stored/);
    expect(await waiting(meter.id)).toBe(2);
    // What still fits is taken.
    expect(await ingestMeterRecords(tenant.workspace.id, meter.id, [record('c')], getPool(), { backlogLimit: 3 })).toEqual({ accepted: 1, runId });
    expect(await waiting(meter.id)).toBe(3);
    await cancelRun(scope, runId);
  });
});
