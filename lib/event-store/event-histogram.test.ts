import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { eventHistogram, histogramUnit, MAX_BUCKETS } from '@/lib/event-store/event-histogram';
import { makeStore, makeTenant } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(() => closePool());

/** A store holding one event at each of the given times; the histogram covers first to last. */
async function histogramOf(times: string[]) {
  const store = await makeStore(tenant.workspace.id, tenant.definition.id);
  await appendEvents(getPool(), store.id, times.map((t, i) => ({ eventId: `e${i}`, eventTime: new Date(t), payload: { id: `e${i}` } })));
  const last = new Date(Math.max(...times.map((t) => Date.parse(t))) + 1);
  return eventHistogram(getPool(), store.id, { from: new Date(times.reduce((a, b) => (a < b ? a : b))), to: last });
}

describe('eventHistogram', () => {
  it('counts per hour under three days, with the empty hours in between', async () => {
    const { unit, buckets } = await histogramOf(['2026-03-01T10:15:00Z', '2026-03-01T10:45:00Z', '2026-03-01T13:00:00Z']);
    expect(unit).toBe('hour');
    expect(buckets.map((b) => [b.start.toISOString().slice(11, 13), b.count])).toEqual([['10', 2], ['11', 0], ['12', 0], ['13', 1]]);
  });

  it('counts per day for ranges up to about five and a half years', async () => {
    const { unit, buckets } = await histogramOf(['2026-03-01T23:59:59Z', '2026-03-02T00:00:00Z', '2026-03-10T12:00:00Z']);
    expect(unit).toBe('day');
    expect(buckets).toHaveLength(10);
    expect(buckets[0]).toEqual({ start: new Date('2026-03-01T00:00:00Z'), count: 1 });
    expect(buckets.at(-1)).toEqual({ start: new Date('2026-03-10T00:00:00Z'), count: 1 });
  });

  it('counts per month beyond that, and never drops the most recent events', async () => {
    const { unit, buckets } = await histogramOf(['2019-01-31T00:00:00Z', '2019-02-01T00:00:00Z', '2026-11-21T08:00:00Z', '2026-11-30T23:00:00Z']);
    expect(unit).toBe('month');
    expect(buckets.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(4);
    expect(buckets[0]).toEqual({ start: new Date('2019-01-01T00:00:00Z'), count: 1 });
    expect(buckets.at(-1)).toEqual({ start: new Date('2026-11-01T00:00:00Z'), count: 2 });
  });

  it('keeps the widest range the limit allows within MAX_BUCKETS', () => {
    const from = new Date('1973-03-03T00:00:00Z');
    expect(histogramUnit({ from, to: new Date('2099-12-31T00:00:00Z') })).toBe('month');
    expect(histogramUnit({ from, to: new Date(from.getTime() + (MAX_BUCKETS - 2) * 86_400_000) })).toBe('day');
  });
});
