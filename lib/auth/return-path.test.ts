import { describe, expect, it } from 'vitest';
import { safeReturnPath, signInPathFor } from '@/lib/auth/return-path';

describe('safeReturnPath', () => {
  it.each([
    ['/event-stores/123', '/event-stores/123'],
    ['/event-stores?page=2&q=a%20b#top', '/event-stores?page=2&q=a%20b#top'],
    ['/', '/'],
    ['/settings/../event-definitions', '/event-definitions'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeReturnPath(raw)).toBe(expected);
  });

  it.each([
    '//evil.com',
    '//evil.com/path',
    '/\\evil.com',
    '\\\\evil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    'https://evil.com',
    'http:/evil.com',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' /event-stores',
    'event-stores',
    '/%2F%2Fevil.com',
    '/%2fevil.com',
    '/%5Cevil.com',
    '/%09/evil.com',
    '/sign-in',
    '/sign-in?next=/x',
    '',
    '/' + 'a'.repeat(3000),
  ])('refuses %j', (raw) => {
    expect(safeReturnPath(raw)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(safeReturnPath(undefined)).toBeNull();
    expect(safeReturnPath(['/x'])).toBeNull();
  });
});

describe('signInPathFor', () => {
  it('carries a deep link (and its query) to the sign-in page, and nothing for Home or a refused path', () => {
    expect(signInPathFor('/event-stores/123?from=2026-01-01')).toBe('/sign-in?next=%2Fevent-stores%2F123%3Ffrom%3D2026-01-01');
    expect(signInPathFor('/')).toBe('/sign-in');
    expect(signInPathFor('//evil.com')).toBe('/sign-in');
    expect(signInPathFor(null)).toBe('/sign-in');
  });
});
