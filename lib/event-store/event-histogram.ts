import type pg from 'pg';

export interface HistogramBucket {
  start: Date;
  count: number;
}

/** Bucket sizes, finest first; each is a PostgreSQL `date_trunc` field. */
export const HISTOGRAM_UNITS = ['hour', 'day', 'week', 'month', 'year', 'decade', 'century', 'millennium'] as const;
export type HistogramUnit = (typeof HISTOGRAM_UNITS)[number];

/** Most buckets one chart draws: the unit grows until the store's whole span fits, so no page grows with the data. */
export const MAX_BUCKETS = 400;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

const STEP: Record<HistogramUnit, string> = {
  hour: '1 hour',
  day: '1 day',
  week: '7 days',
  month: '1 month',
  year: '1 year',
  decade: '10 years',
  century: '100 years',
  millennium: '1000 years',
};

/** A time span, both ends included: a store's earliest and latest event. */
export interface Span {
  earliest: Date;
  latest: Date;
}

/** How many buckets of `unit` the span touches, counted the way `date_trunc` cuts (UTC). */
export function bucketCount(unit: HistogramUnit, span: Span): number {
  const { earliest: from, latest: to } = span;
  const fixed = (size: number, offset = 0) => Math.floor((to.getTime() - offset) / size) - Math.floor((from.getTime() - offset) / size) + 1;
  const [y1, y2] = [from.getUTCFullYear(), to.getUTCFullYear()];
  // date_trunc's centuries and millennia begin in years ending in 01 (2001, 1901); decades in years ending in 0.
  const years = (size: number, first: number) => Math.floor((y2 - first) / size) - Math.floor((y1 - first) / size) + 1;
  switch (unit) {
    case 'hour':
      return fixed(HOUR);
    case 'day':
      return fixed(DAY);
    case 'week':
      return fixed(WEEK, 4 * DAY); // 1970-01-05 was a Monday, where ISO weeks begin
    case 'month':
      return (y2 - y1) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
    case 'year':
      return y2 - y1 + 1;
    case 'decade':
      return years(10, 0);
    case 'century':
      return years(100, 1);
    case 'millennium':
      return years(1000, 1);
  }
}

/** The finest unit whose buckets cover the span within MAX_BUCKETS. */
export function histogramUnit(span: Span): HistogramUnit {
  return HISTOGRAM_UNITS.find((unit) => bucketCount(unit, span) <= MAX_BUCKETS) ?? 'millennium';
}

/**
 * Events per bucket over a span of a store (typically its earliest to latest event), for the chart: at
 * most MAX_BUCKETS buckets, from the one holding `earliest` to the one holding `latest`, empty ones
 * included so the chart's gaps are real gaps. Reads the store's hourly rollup (`event_store_hours`, kept
 * by triggers on `events`), never the events: it costs the number of hours with events in the span,
 * whatever the number of events. Hours are whole: the span is widened to the hours it touches.
 */
export async function eventHistogram(
  db: pg.Pool | pg.PoolClient,
  storeId: string,
  span: Span,
): Promise<{ unit: HistogramUnit; buckets: HistogramBucket[] }> {
  const unit = histogramUnit(span);
  // Bucket arithmetic in UTC timestamps (without zone), so months and years do not depend on the session's TimeZone.
  const { rows } = await db.query<{ bucket: Date; n: string }>(
    `WITH counted AS (
       SELECT date_trunc($4, hour AT TIME ZONE 'UTC') AS bucket, sum(event_count) AS n
         FROM event_store_hours
        WHERE store_id = $1::uuid AND hour >= date_trunc('hour', $2::timestamptz, 'UTC') AND hour <= $3::timestamptz
        GROUP BY 1
     )
     SELECT g AT TIME ZONE 'UTC' AS bucket, coalesce(counted.n, 0) AS n
       FROM generate_series(date_trunc($4, $2::timestamptz AT TIME ZONE 'UTC'), $3::timestamptz AT TIME ZONE 'UTC', $5::interval) AS g
       LEFT JOIN counted ON counted.bucket = g
      ORDER BY g`,
    [storeId, span.earliest, span.latest, unit, STEP[unit]],
  );
  return { unit, buckets: rows.map((r) => ({ start: r.bucket, count: Number(r.n) })) };
}
