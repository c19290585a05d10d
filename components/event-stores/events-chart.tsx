import { formatCount } from '@/components/ui/format';
import type { HistogramBucket, HistogramUnit } from '@/lib/event-store/event-histogram';
import { EventsChartBars, type ChartBucket } from './events-chart-bars';


const HOUR = 3_600_000;

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

/** A bar's axis tick: short enough to fit under a bar (hours drop the year; the readout has it). */
function tick(d: Date, unit: HistogramUnit): string {
  return unit === 'hour' ? `${d.toISOString().slice(5, 13).replace('T', ' ')}:00` : label(d, unit);
}

/** The time a bucket covers, for the hover readout. */
function range(d: Date, unit: HistogramUnit): string {
  switch (unit) {
    case 'hour':
      return `${label(d, unit)}–${new Date(d.getTime() + HOUR).toISOString().slice(11, 16)} UTC`;
    case 'week':
      return `${d.toISOString().slice(0, 10)} to ${new Date(d.getTime() + 6 * 24 * HOUR).toISOString().slice(0, 10)} (UTC)`;
    default:
      return `${label(d, unit)} (UTC)`;
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

/** Events over time as bars with axes and a hover readout, and the same numbers as a table for exact reading. */
export function EventsChart({ buckets, unit }: { buckets: HistogramBucket[]; unit: HistogramUnit }) {
  if (buckets.length === 0) return <p className="muted">No events to chart yet.</p>;
  const peak = buckets.reduce((a, b) => (b.count > a.count ? b : a));
  const total = buckets.reduce((n, b) => n + b.count, 0);
  const summary = `Events per ${unit}: ${formatCount(total)} over ${buckets.length} ${PLURAL[unit]}, most on ${label(peak.start, unit)} (${formatCount(peak.count)}).`;
  const bars: ChartBucket[] = buckets.map((b) => ({ key: b.start.getTime(), tick: tick(b.start, unit), range: range(b.start, unit), count: b.count }));
  return (
    <figure className="chart">
      <EventsChartBars buckets={bars} summary={summary} />
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
