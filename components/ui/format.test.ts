import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatRelative } from '@/components/ui/format';

describe('formatDateTime', () => {
  it('writes ISO order in UTC with the zone named', () => {
    expect(formatDateTime(new Date('2026-11-30T00:51:07.123Z'))).toBe('2026-11-30 00:51 UTC');
    expect(formatDateTime(new Date('2026-11-30T00:51:07.123Z'), true)).toBe('2026-11-30 00:51:07 UTC');
  });

  it('converts other zones to UTC', () => {
    expect(formatDateTime(new Date('2026-11-30T01:51:00+02:00'))).toBe('2026-11-29 23:51 UTC');
  });

  it('shows a dash for a missing or invalid date', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatDateTime(new Date('nope'))).toBe('—');
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const ago = (seconds: number) => formatRelative(new Date(now.getTime() - seconds * 1000), now);

  it.each([
    [0, 'just now'],
    [59, 'just now'],
    [60, '1 min ago'],
    [3 * 60 + 30, '3 min ago'],
    [59 * 60, '59 min ago'],
    [60 * 60, '1 h ago'],
    [5 * 3600 + 59 * 60, '5 h ago'],
    [24 * 3600, '1 day ago'],
    [3 * 24 * 3600, '3 days ago'],
    [90 * 24 * 3600, '3 months ago'],
    [400 * 24 * 3600, '1 year ago'],
    [800 * 24 * 3600, '2 years ago'],
  ])('%i s before now reads "%s"', (seconds, text) => {
    expect(ago(seconds)).toBe(text);
  });

  it('says "in …" for the future', () => {
    expect(ago(-3 * 60)).toBe('in 3 min');
  });
});

describe('formatCount', () => {
  it('groups thousands', () => expect(formatCount(1234567)).toBe('1,234,567'));
});
