import { describe, expect, it } from 'vitest';
import { formatLocalDateTime, parseLocalDateTime, presetRange, readInstant, validateRange, zoneChoices, zoneOffsetLabel } from './date-time-range';

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : d);

describe('parseLocalDateTime', () => {
  it('reads wall-clock text in the chosen zone as a UTC instant', () => {
    expect(iso(parseLocalDateTime('2026-11-01 00:00', 'UTC'))).toBe('2026-11-01T00:00:00.000Z');
    expect(iso(parseLocalDateTime('2026-11-01 00:00', 'Europe/Berlin'))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(parseLocalDateTime('2026-07-01T12:30:15', 'America/New_York'))).toBe('2026-07-01T16:30:15.000Z');
  });

  it('refuses text that is not a time, a day that does not exist, and a time the clocks skip', () => {
    expect(parseLocalDateTime('11/01/2026', 'UTC')).toMatch(/type it as 2026-11-01 00:00/);
    expect(parseLocalDateTime('2026-02-30 00:00', 'UTC')).toMatch(/not a valid date and time/);
    expect(parseLocalDateTime('2026-01-01 24:00', 'UTC')).toMatch(/not a valid date and time/);
    expect(parseLocalDateTime('2026-03-29 02:30', 'Europe/Berlin')).toMatch(/does not exist in Europe\/Berlin/);
  });

  it('formats back to the same text', () => {
    const instant = parseLocalDateTime('2026-11-01 00:00', 'Europe/Berlin') as Date;
    expect(formatLocalDateTime(instant, 'Europe/Berlin')).toBe('2026-11-01 00:00');
    expect(formatLocalDateTime(instant, 'UTC')).toBe('2026-10-31 23:00');
    expect(formatLocalDateTime(new Date('2026-03-04T16:39:05Z'), 'UTC')).toBe('2026-03-04 16:39:05');
  });
});

describe('presetRange', () => {
  it('starts this month at local midnight of the 1st and ends at the next month', () => {
    const now = new Date('2026-11-15T10:00:00Z');
    expect(presetRange('this-month', now, 'UTC')).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
    expect(presetRange('this-month', now, 'Europe/Berlin')).toEqual({ start: new Date('2026-10-31T23:00:00Z'), end: new Date('2026-11-30T23:00:00Z') });
  });

  it('computes the month in the chosen zone at a month boundary', () => {
    // 2026-12-01 00:30 in Berlin is still November in UTC.
    const now = new Date('2026-11-30T23:30:00Z');
    expect(presetRange('this-month', now, 'UTC').start.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(presetRange('this-month', now, 'Europe/Berlin').start.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(presetRange('last-month', now, 'Europe/Berlin')).toEqual({ start: new Date('2026-10-31T23:00:00Z'), end: new Date('2026-11-30T23:00:00Z') });
  });

  it('spans a clock change: last month of October in Berlin has 745 hours; last 7 days keep the wall-clock time', () => {
    const { start, end } = presetRange('last-month', new Date('2026-11-10T12:00:00Z'), 'Europe/Berlin');
    expect(start.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(31 * 24 + 1);
    const week = presetRange('last-7-days', new Date('2026-10-28T12:00:00Z'), 'Europe/Berlin');
    expect((week.end.getTime() - week.start.getTime()) / 3_600_000).toBe(7 * 24 + 1);
    expect(formatLocalDateTime(week.start, 'Europe/Berlin')).toBe('2026-10-21 13:00');
  });

  it('last 24 hours is exactly a day before now', () => {
    const now = new Date('2026-03-29T12:00:00Z');
    expect(presetRange('last-24-hours', now, 'Europe/Berlin')).toEqual({ start: new Date('2026-03-28T12:00:00Z'), end: now });
  });
});

describe('validateRange', () => {
  const labels = { start: 'From', end: 'To' };
  it('names the field when the start is not before the end', () => {
    const t = new Date('2026-11-01T00:00:00Z');
    expect(validateRange({ start: t, end: t }, labels)).toEqual({ end: '“To” must be after “From”.' });
    expect(validateRange({ start: t, end: new Date(t.getTime() + 1) }, labels)).toEqual({});
    expect(validateRange({ start: null, end: t }, labels)).toEqual({});
  });
});

describe('zones and URL instants', () => {
  it('offers UTC and the browser zone, and labels offsets', () => {
    expect(zoneChoices('Europe/Berlin')).toEqual(['UTC', 'Europe/Berlin']);
    expect(zoneChoices('UTC')).toEqual(['UTC']);
    expect(zoneOffsetLabel('Europe/Berlin', new Date('2026-07-01T00:00:00Z'))).toBe('UTC+02:00');
    expect(zoneOffsetLabel('America/New_York', new Date('2026-01-01T00:00:00Z'))).toBe('UTC−05:00');
  });
  it('reads URL times without a zone as UTC', () => {
    expect(readInstant('2026-03-04T00:00:00')?.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(readInstant('2026-03-04T00:00:00+01:00')?.toISOString()).toBe('2026-03-03T23:00:00.000Z');
    expect(readInstant('soon')).toBeNull();
  });
});
