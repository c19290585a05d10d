import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { appendEvents } from '@/lib/event-store/append-events';
import { estimateRun } from '@/lib/runs/estimate';
import { makeStore, makeTenant, unique } from '@/lib/testing/factories';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let meterId: string;
const start = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

beforeAll(async () => {
  a = await makeTenant();
  const source = await makeStore(a.workspace.id, a.definition.id, unique('source'));
  // One event a minute for 10 hours: 600 events, 60 in every hour.
  const events = Array.from({ length: 600 }, (_, i) => {
    const at = new Date(start + i * MINUTE);
    return { eventId: `e${i}`, eventTime: at, payload: { id: `e${i}`, at: at.toISOString() } };
  });
  await appendEvents(getPool(), source.id, events);
  meterId = (await makeCopyMeter(a, { sourceStoreId: source.id })).meter.id;
});
afterAll(() => disconnectPrisma());

const frame = (fromMinute: number, toMinute: number) => ({ kind: 'frame' as const, from: new Date(start + fromMinute * MINUTE).toISOString(), to: new Date(start + toMinute * MINUTE).toISOString() });

describe('estimateRun', () => {
  it('counts all time exactly from the store stats, with the span for the picker', async () => {
    expect(await estimateRun(a.workspace.id, { meterId, scope: { kind: 'all' } })).toMatchObject({
      events: 600,
      kind: 'exact',
      earliest: '2026-01-01T00:00:00.000Z',
      latest: new Date(start + 599 * MINUTE).toISOString(),
    });
  });

  it.each([
    ['whole hours only', 60, 180, 120],
    ['partial hours at both edges', 30, 195, 165],
    ['inside one hour', 61, 62, 1],
    ['beyond the data', 590, 900, 10],
    ['before the data', -100, 0, 0],
  ])('counts a frame exactly: %s', async (_name, from, to, expected) => {
    expect(await estimateRun(a.workspace.id, { meterId, scope: frame(from, to) })).toMatchObject({ events: expected, kind: 'exact' });
  });

  it('measures the rate from completed runs and estimates the seconds', async () => {
    const other = await makeCopyMeter(a);
    await getPool().query(
      `INSERT INTO meter_runs (id, workspace_id, meter_id, meter_version, scope, status, idempotency_key, created_by, started_at, finished_at, progress)
       VALUES (gen_random_uuid(), $1, $2, 1, '{"kind":"all"}', 'completed', $3, 'test', now() - interval '10 seconds', now(), '{"read": 1000000}')`,
      [a.workspace.id, other.meter.id, unique('key')],
    );
    const estimate = await estimateRun(a.workspace.id, { meterId, scope: { kind: 'all' } });
    expect(estimate.eventsPerSecond).toBeGreaterThan(0);
    expect(estimate.seconds).toBe(Math.ceil(600 / estimate.eventsPerSecond!));
  });

  it('refuses a scope that does not fit, and knows nothing ahead of a file', async () => {
    await expect(estimateRun(a.workspace.id, { meterId, scope: { kind: 'live' } })).rejects.toThrow('reads Event Stores');
    const file = await makeCopyMeter(a, { source: 'file' });
    expect(await estimateRun(a.workspace.id, { meterId: file.meter.id, scope: { kind: 'file', fileName: 'x.ndjson' } })).toMatchObject({ events: 0, kind: 'unknown', seconds: null });
  });
});
