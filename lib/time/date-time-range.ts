import { TZDate, tzOffset } from '@date-fns/tz';
import { addMonths, startOfMonth, subDays } from 'date-fns';

/**
 * The date-time range picker's rules, framework-free so they are tested without a browser: wall-clock text
 * in a chosen time zone to a UTC instant and back, presets computed in that zone, and the start-before-end check.
 * The picker shows wall-clock times; everything it hands on is a UTC instant.
 */

/** A range as the picker holds it: instants (or null while unset) and the zone they are shown in. */
export interface DateTimeRange {
  start: Date | null;
  end: Date | null;
  zone: string;
}

export const UTC = 'UTC';

const LOCAL_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Reads "2026-11-01 00:00" (seconds optional, a "T" allowed) as a wall-clock time in `zone`. Returns the
 * instant, or a message when the text is not such a time, names a day that does not exist (2026-02-30) or a
 * time the zone skips (a spring-forward gap).
 */
export function parseLocalDateTime(text: string, zone: string): Date | string {
  const match = LOCAL_TEXT.exec(text.trim());
  if (!match) return `“${text.trim()}” is not a date and time; type it as 2026-11-01 00:00.`;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const wall = (d: Date) => [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()].join();
  const asUtc = new TZDate(year!, month! - 1, day!, hour!, minute!, second!, UTC);
  if (wall(asUtc) !== [year, month, day, hour, minute, second].join()) return `“${text.trim()}” is not a valid date and time.`;
  const date = new TZDate(year!, month! - 1, day!, hour!, minute!, second!, zone);
  if (wall(date) !== wall(asUtc)) return `${text.trim()} does not exist in ${zone}: the clocks skip it.`;
  return new Date(date.getTime());
}

/** An instant as wall-clock text in `zone`, "2026-11-01 00:00", with seconds only when it has them. */
export function formatLocalDateTime(instant: Date, zone: string): string {
  const d = new TZDate(instant.getTime(), zone);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const seconds = d.getSeconds() ? `:${pad(d.getSeconds())}` : '';
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}${seconds}`;
}

/** A zone's offset from UTC at an instant, as "UTC+01:00" (so "Europe/Berlin" says what it means that day). */
export function zoneOffsetLabel(zone: string, at: Date): string {
  const minutes = tzOffset(zone, at);
  if (!minutes) return 'UTC';
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The zones offered: UTC first, then the browser's own when it differs. */
export function zoneChoices(browserZone: string | undefined): string[] {
  return browserZone && browserZone !== UTC && browserZone !== 'Etc/UTC' ? [UTC, browserZone] : [UTC];
}

export const PRESETS = ['last-24-hours', 'last-7-days', 'this-month', 'last-month'] as const;
export type Preset = (typeof PRESETS)[number];
export const PRESET_LABELS: Record<Preset, string> = {
  'last-24-hours': 'Last 24 hours',
  'last-7-days': 'Last 7 days',
  'this-month': 'This month',
  'last-month': 'Last month',
};

/**
 * A preset's range at `now`, in `zone`: months start at local midnight of the 1st, and "last 7 days" goes back
 * seven calendar days at the same wall-clock time (so 167 or 169 hours across a clock change). The end is
 * exclusive; for months it is the first instant of the next month.
 */
export function presetRange(preset: Preset, now: Date, zone: string): { start: Date; end: Date } {
  const local = new TZDate(now.getTime(), zone);
  const instant = (d: Date) => new Date(d.getTime());
  switch (preset) {
    case 'last-24-hours':
      return { start: new Date(now.getTime() - 86_400_000), end: instant(now) };
    case 'last-7-days':
      return { start: instant(subDays(local, 7)), end: instant(now) };
    case 'this-month': {
      const start = startOfMonth(local);
      return { start: instant(start), end: instant(addMonths(start, 1)) };
    }
    case 'last-month': {
      const end = startOfMonth(local);
      return { start: instant(addMonths(end, -1)), end: instant(end) };
    }
  }
}

/** Messages per end of the range, naming the field by its label; empty when the range is fine. */
export function validateRange(range: { start: Date | null; end: Date | null }, labels: { start: string; end: string }): { start?: string; end?: string } {
  if (range.start && range.end && range.start.getTime() >= range.end.getTime()) {
    return { end: `“${labels.end}” must be after “${labels.start}”.` };
  }
  return {};
}

/**
 * Reads an instant from a URL (ISO 8601; text without a zone is UTC, as the server reads it). Null when it
 * is not one: the server then names the problem.
 */
export function readInstant(text: string | undefined | null): Date | null {
  if (!text) return null;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim()) ? text.trim() : `${text.trim()}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? null : d;
}
