import type pg from 'pg';

export interface HistogramBucket {
  start: Date;
  count: number;
}

/**
 * Events per day (or hour, for ranges under three days) over a store's time range, for the chart. One
 * grouped index scan; empty buckets are filled in so the chart's gaps are real gaps.
 */
export async function eventHistogram(pool: pg.Pool, storeId: string, range: { from: Date; to: Date }): Promise<{ unit: 'day' | 'hour'; buckets: HistogramBucket[] }> {
  const unit = range.to.getTime() - range.from.getTime() < 3 * 86_400_000 ? 'hour' : 'day';
  const { rows } = await pool.query<{ bucket: Date; n: string }>(
    `SELECT date_trunc('${unit}', event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, count(*) AS n
       FROM events WHERE store_id = $1::uuid AND event_time >= $2 AND event_time < $3
      GROUP BY 1 ORDER BY 1`,
    [storeId, range.from, range.to],
  );
  const counts = new Map(rows.map((r) => [r.bucket.getTime(), Number(r.n)]));
  const step = unit === 'day' ? 86_400_000 : 3_600_000;
  const first = Math.floor(range.from.getTime() / step) * step;
  const buckets: HistogramBucket[] = [];
  for (let t = first; t < range.to.getTime() && buckets.length < 2000; t += step) {
    buckets.push({ start: new Date(t), count: counts.get(t) ?? 0 });
  }
  return { unit, buckets };
}
