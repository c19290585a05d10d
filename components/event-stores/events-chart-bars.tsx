'use client';

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '@/components/ui/format';
import styles from './events-chart.module.css';

/** One bar: its axis tick, the time range it covers (for the readout) and its count. */
export interface ChartBucket {
  key: number;
  tick: string;
  range: string;
  count: number;
}

/**
 * The bars, drawn by Recharts in the browser (it measures its container, so the server renders only the
 * frame). Hovering a bar, or focusing the chart and moving with the arrow keys, shows the bucket's time range
 * and count; `summary` names the chart for screen readers, which also get the table of numbers beside it.
 */
export function EventsChartBars({ buckets, summary }: { buckets: ChartBucket[]; summary: string }) {
  return (
    <div className={styles.frame}>
      <BarChart responsive data={buckets} role="img" aria-label={summary} margin={{ top: 8, right: 12, bottom: 4, left: 4 }} style={{ width: '100%', height: 220 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="tick" minTickGap={24} tick={{ fill: 'var(--muted)', fontSize: 12 }} tickLine={false} />
        <YAxis allowDecimals={false} tickFormatter={(n: number) => formatCount(n)} tick={{ fill: 'var(--muted)', fontSize: 12 }} width={56} />
        <Tooltip cursor={{ fill: 'var(--accent-soft)' }} content={Readout} isAnimationActive={false} />
        <Bar dataKey="count" name="Events" fill="var(--accent)" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}

function Readout({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }> }) {
  const bucket = active ? (payload?.[0]?.payload as ChartBucket | undefined) : undefined;
  if (!bucket) return null;
  return (
    <div className={styles.readout}>
      <div>{bucket.range}</div>
      <strong>
        {formatCount(bucket.count)} {bucket.count === 1 ? 'event' : 'events'}
      </strong>
    </div>
  );
}
