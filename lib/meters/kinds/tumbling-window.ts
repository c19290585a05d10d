import { TZDate } from '@date-fns/tz';

export const WINDOW_UNITS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type WindowUnit = (typeof WINDOW_UNITS)[number];
export interface WindowSize {
  amount: number;
  unit: WindowUnit;
}

/** The largest amount per unit: windows run from one minute to one calendar month. */
export const MAX_WINDOW_AMOUNT: Record<WindowUnit, number> = { minute: 1440, hour: 24, day: 31, week: 4, month: 1 };

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
/** 1970-01-05, a Monday: weeks start on Mondays. */
const EPOCH_MONDAY = 4;

/** Whether `zone` is a time zone this runtime knows (IANA names such as Europe/Berlin, or UTC). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Local midnight of a calendar date in `zone` (the first instant of that day where midnight is skipped). */
const midnight = (year: number, month: number, day: number, zone: string) => new TZDate(year, month, day, 0, 0, 0, zone).getTime();

/** Days from 1970-01-01 to a calendar date (proleptic Gregorian, any year). */
function dayNumber(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return Math.round(d.getTime() / DAY_MS);
}

function dateOfDayNumber(n: number): [number, number, number] {
  const d = new Date(n * DAY_MS);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

/**
 * The tumbling window holding instant `ms`, as [start, end) in epoch milliseconds, in calendar terms of
 * `zone`:
 * - minutes and hours count from local midnight and never cross it (the day's last window may be shorter;
 *   a day of 23 or 25 hours at a DST change has 23 or 25 one-hour windows);
 * - days are local calendar days (23 or 25 hours long across DST), grouped by `amount` from 1970-01-01;
 * - weeks start on Monday at local midnight, grouped by `amount` from 1970-01-05;
 * - a month runs from local midnight on its first day to the next month's.
 */
export function windowOf(ms: number, size: WindowSize, zone: string): [number, number] {
  const local = new TZDate(ms, zone);
  const [year, month, date] = [local.getFullYear(), local.getMonth(), local.getDate()];
  switch (size.unit) {
    case 'minute':
    case 'hour': {
      const dayStart = midnight(year, month, date, zone);
      const [ny, nm, nd] = dateOfDayNumber(dayNumber(year, month, date) + 1);
      const nextDay = midnight(ny, nm, nd, zone);
      const length = size.amount * (size.unit === 'minute' ? MINUTE : 60 * MINUTE);
      const start = dayStart + Math.floor((ms - dayStart) / length) * length;
      return [start, Math.min(start + length, nextDay)];
    }
    case 'day':
    case 'week': {
      const days = size.unit === 'day' ? size.amount : 7 * size.amount;
      const offset = size.unit === 'day' ? 0 : EPOCH_MONDAY;
      const n = dayNumber(year, month, date);
      const first = n - (((n - offset) % days) + days) % days;
      return [midnight(...dateOfDayNumber(first), zone), midnight(...dateOfDayNumber(first + days), zone)];
    }
    case 'month':
      return [midnight(year, month, 1, zone), midnight(year, month + size.amount, 1, zone)];
  }
}

/** windowOf with a one-window memory: time-ordered input mostly falls in the window of the record before. */
export function windowFinder(size: WindowSize, zone: string): (ms: number) => [number, number] {
  let last: [number, number] = [0, 0];
  return (ms) => {
    if (ms >= last[0] && ms < last[1]) return last;
    last = windowOf(ms, size, zone);
    return last;
  };
}
