/**
 * The console's one date and number format. Dates read `2026-11-30 00:51 UTC` everywhere: ISO order (sorts and
 * reads the same in every locale), always UTC (the zone every stored time and API uses), the zone named.
 */
const numberFormat = new Intl.NumberFormat('en-US');

export const formatCount = (n: number) => numberFormat.format(n);

/** `2026-11-30 00:51 UTC` (or `2026-11-30 00:51:07 UTC` with seconds); `—` for no date. */
export function formatDateTime(d: Date | null | undefined, withSeconds = false): string {
  if (!d || Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, withSeconds ? 19 : 16).replace('T', ' ')} UTC`;
}

const UNITS: [limit: number, seconds: number, unit: string][] = [
  [60 * 60, 60, 'min'],
  [24 * 60 * 60, 60 * 60, 'h'],
  [60 * 24 * 60 * 60, 24 * 60 * 60, 'day'],
  [365 * 24 * 60 * 60, 30 * 24 * 60 * 60, 'month'],
  [Infinity, 365 * 24 * 60 * 60, 'year'],
];

/**
 * "just now", "3 min ago", "5 h ago", "2 days ago", "4 months ago", "1 year ago"; the future reads "in 3 min".
 * Whole units, rounded down, so "1 h ago" is never said of 40 minutes.
 */
export function formatRelative(d: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - d.getTime()) / 1000);
  const distance = Math.abs(seconds);
  if (distance < 60) return 'just now';
  const [, size, unit] = UNITS.find(([limit]) => distance < limit)!;
  const count = Math.floor(distance / size);
  const text = `${count} ${unit}${count !== 1 && (unit === 'day' || unit === 'month' || unit === 'year') ? 's' : ''}`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}
