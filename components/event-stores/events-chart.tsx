import { formatCount } from '@/components/ui/format';
import type { HistogramBucket, HistogramUnit } from '@/lib/event-store/event-histogram';

const WIDTH = 900;
const HEIGHT = 160;
const AXIS = 18;

/** A bucket's start as text: as precise as the unit (years keep four digits, 0001 to 9999). */
function label(d: Date, unit: HistogramUnit): string {
  const iso = d.toISOString();
  const year = d.getUTCFullYear();
  switch (unit) {
    case 'hour':
      return `${iso.slice(0, 13).replace('T', ' ')}:00`;
    case 'day':
      return iso.slice(0, 10);
    case 'week':
      return `week of ${iso.slice(0, 10)}`;
    case 'month':
      return iso.slice(0, 7);
    case 'year':
      return String(year);
    case 'decade':
      return `${year}s`;
    case 'century':
      return `${year}–${year + 99}`;
    case 'millennium':
      return `${year}–${year + 999}`;
  }
}

const HEADING: Record<HistogramUnit, string> = {
  hour: 'Hour (UTC)',
  day: 'Day (UTC)',
  week: 'Week from Monday (UTC)',
  month: 'Month (UTC)',
  year: 'Year (UTC)',
  decade: 'Decade (UTC)',
  century: 'Century (UTC)',
  millennium: 'Millennium (UTC)',
};

const PLURAL: Record<HistogramUnit, string> = {
  hour: 'hours',
  day: 'days',
  week: 'weeks',
  month: 'months',
  year: 'years',
  decade: 'decades',
  century: 'centuries',
  millennium: 'millennia',
};

/** Events over time as bars, with the same numbers as a table for screen readers and exact reading. */
export function EventsChart({ buckets, unit }: { buckets: HistogramBucket[]; unit: HistogramUnit }) {
  if (buckets.length === 0) return <p className="muted">No events to chart yet.</p>;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const peak = buckets.reduce((a, b) => (b.count > a.count ? b : a));
  const total = buckets.reduce((n, b) => n + b.count, 0);
  const barWidth = WIDTH / buckets.length;
  const summary = `Events per ${unit}: ${formatCount(total)} over ${buckets.length} ${PLURAL[unit]}, most on ${label(peak.start, unit)} (${formatCount(peak.count)}).`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {buckets.map((b, i) => {
          const h = (b.count / max) * HEIGHT;
          return (
            <rect key={b.start.getTime()} className="bar" x={i * barWidth + 0.5} y={HEIGHT - h} width={Math.max(1, barWidth - 1)} height={h}>
              <title>{`${label(b.start, unit)}: ${formatCount(b.count)}`}</title>
            </rect>
          );
        })}
        <text className="axis" x={0} y={HEIGHT + 14}>
          {label(buckets[0]!.start, unit)}
        </text>
        <text className="axis" x={WIDTH} y={HEIGHT + 14} textAnchor="end">
          {label(buckets.at(-1)!.start, unit)}
        </text>
      </svg>
      <figcaption className="muted small">{summary}</figcaption>
      <details>
        <summary>Show the numbers</summary>
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Events per {unit}</caption>
            <thead>
              <tr>
                <th scope="col">{HEADING[unit]}</th>
                <th scope="col" className="num">Events</th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.start.getTime()}>
                  <th scope="row">{label(b.start, unit)}</th>
                  <td className="num">{formatCount(b.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
