import type pg from 'pg';

export interface HistogramBucket {
  start: Date;
  count: number;
}

export type HistogramUnit = 'hour' | 'day' | 'month';

/** Most buckets one chart draws; the unit grows (hour, day, month) to cover any range within it. */
export const MAX_BUCKETS = 2000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The finest unit whose buckets cover the range within MAX_BUCKETS. */
export function histogramUnit(range: { from: Date; to: Date }): HistogramUnit {
  const span = range.to.getTime() - range.from.getTime();
  if (span < 3 * DAY) return 'hour';
  if (span < (MAX_BUCKETS - 1) * DAY) return 'day';
  return 'month';
}

/**
 * Events per hour, day or month (the finest that fits MAX_BUCKETS) over a store's time range, for the
 * chart. One grouped index scan; empty buckets are filled in so the chart's gaps are real gaps.
 */
export async function eventHistogram(pool: pg.Pool, storeId: string, range: { from: Date; to: Date }): Promise<{ unit: HistogramUnit; buckets: HistogramBucket[] }> {
  const unit = histogramUnit(range);
  const { rows } = await pool.query<{ bucket: Date; n: string }>(
    `SELECT date_trunc('${unit}', event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, count(*) AS n
       FROM events WHERE store_id = $1::uuid AND event_time >= $2 AND event_time < $3
      GROUP BY 1 ORDER BY 1`,
    [storeId, range.from, range.to],
  );
  const counts = new Map(rows.map((r) => [r.bucket.getTime(), Number(r.n)]));
  const buckets: HistogramBucket[] = [];
  for (let t = truncate(range.from, unit); t < range.to.getTime(); t = next(t, unit)) {
    buckets.push({ start: new Date(t), count: counts.get(t) ?? 0 });
  }
  return { unit, buckets };
}

function truncate(date: Date, unit: HistogramUnit): number {
  if (unit === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const step = unit === 'day' ? DAY : HOUR;
  return Math.floor(date.getTime() / step) * step;
}

function next(t: number, unit: HistogramUnit): number {
  if (unit === 'hour') return t + HOUR;
  if (unit === 'day') return t + DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
