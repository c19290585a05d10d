import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsChart } from '@/components/event-stores/events-chart';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { bucketCount, eventHistogram, HISTOGRAM_UNITS, histogramUnit, MAX_BUCKETS } from '@/lib/event-store/event-histogram';
import { getStoreStats } from '@/lib/event-store/store-stats';
import { makeStore, makeTenant } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(async () => {
  await getPool().query('DELETE FROM workspaces WHERE id = $1', [tenant.workspace.id]);
  await closePool();
});

/** A store holding one event at each of the given times; the histogram covers its earliest to latest event, as the page draws it. */
async function histogramOf(times: string[]) {
  const store = await makeStore(tenant.workspace.id, tenant.definition.id);
  await appendEvents(getPool(), store.id, times.map((t, i) => ({ eventId: `e${i}`, eventTime: new Date(t), payload: { id: `e${i}` } })));
  const { earliest, latest } = (await getStoreStats(getPool(), [store.id])).get(store.id)!;
  return eventHistogram(getPool(), store.id, { earliest: earliest!, latest: latest! });
}

const span = (earliest: string, latest: string) => ({ earliest: new Date(earliest), latest: new Date(latest) });

describe('eventHistogram', () => {
  it('counts per hour over short spans, with the empty hours in between', async () => {
    const { unit, buckets } = await histogramOf(['2026-03-01T10:15:00Z', '2026-03-01T10:45:00Z', '2026-03-01T13:00:00Z']);
    expect(unit).toBe('hour');
    expect(buckets.map((b) => [b.start.toISOString().slice(11, 13), b.count])).toEqual([['10', 2], ['11', 0], ['12', 0], ['13', 1]]);
  });

  it('counts per day once hours would be too many', async () => {
    const { unit, buckets } = await histogramOf(['2026-03-01T23:59:59Z', '2026-03-02T00:00:00Z', '2026-03-30T12:00:00Z']);
    expect(unit).toBe('day');
    expect(buckets).toHaveLength(30);
    expect(buckets[0]).toEqual({ start: new Date('2026-03-01T00:00:00Z'), count: 1 });
    expect(buckets.at(-1)).toEqual({ start: new Date('2026-03-30T00:00:00Z'), count: 1 });
  });

  it('counts per month over years, and never drops the most recent events', async () => {
    const { unit, buckets } = await histogramOf(['2019-01-31T00:00:00Z', '2019-02-01T00:00:00Z', '2026-11-21T08:00:00Z', '2026-11-30T23:00:00Z']);
    expect(unit).toBe('month');
    expect(buckets.length).toBe(95);
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(4);
    expect(buckets[0]).toEqual({ start: new Date('2019-01-01T00:00:00Z'), count: 1 });
    expect(buckets.at(-1)).toEqual({ start: new Date('2026-11-01T00:00:00Z'), count: 2 });
  });

  // Issue 9, section 4: one event at 9999-12-31 made the store page 53.8 MB (96,000 monthly buckets).
  it('draws a few hundred buckets at most, even from year 1 to 9999, and the chart stays small', async () => {
    const { unit, buckets } = await histogramOf(['0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2026-03-01T10:00:00Z', '9999-12-31T23:59:59.999Z']);
    expect(unit).toBe('century');
    expect(buckets.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(4);
    expect(buckets[0]).toEqual({ start: new Date('0001-01-01T00:00:00Z'), count: 1 });
    expect(buckets.at(-1)).toEqual({ start: new Date('9901-01-01T00:00:00Z'), count: 1 });
    const html = renderToStaticMarkup(createElement(EventsChart, { buckets, unit }));
    expect(html.length).toBeLessThan(100_000);
  });

  it('picks the finest unit within MAX_BUCKETS, and counts buckets as date_trunc cuts them', async () => {
    expect(histogramUnit(span('2026-01-01T00:00:00Z', '2026-01-17T15:00:00Z'))).toBe('hour'); // 400 hours
    expect(histogramUnit(span('2026-01-01T00:00:00Z', '2026-01-17T16:00:00Z'))).toBe('day');
    expect(histogramUnit(span('2026-01-01T00:00:00Z', '2027-02-04T00:00:00Z'))).toBe('day'); // 400 days
    expect(histogramUnit(span('2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z'))).toBe('week');
    expect(histogramUnit(span('2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z'))).toBe('month');
    expect(histogramUnit(span('1700-01-01T00:00:00Z', '2030-01-01T00:00:00Z'))).toBe('year');
    expect(histogramUnit(span('1000-01-01T00:00:00Z', '2030-01-01T00:00:00Z'))).toBe('decade');
    // The JavaScript count agrees with PostgreSQL's date_trunc for every unit.
    const sample = span('0999-12-31T23:00:00Z', '2026-03-04T05:06:07Z');
    const { rows } = await getPool().query<{ unit: string; n: number }>(
      `SELECT u AS unit, (SELECT count(*) FROM generate_series(
                date_trunc(u, $1::timestamptz AT TIME ZONE 'UTC'), $2::timestamptz AT TIME ZONE 'UTC',
                CASE u WHEN 'week' THEN interval '7 days' WHEN 'decade' THEN interval '10 years' WHEN 'century' THEN interval '100 years'
                       WHEN 'millennium' THEN interval '1000 years' ELSE ('1 ' || u)::interval END))::int AS n
         FROM unnest($3::text[]) AS u`,
      [sample.earliest, sample.latest, HISTOGRAM_UNITS.filter((u) => u !== 'hour' && u !== 'day')],
    );
    for (const row of rows) expect([row.unit, bucketCount(row.unit as never, sample)]).toEqual([row.unit, row.n]);
  });
});
