import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_SCOPE_NAMES, isKnownScope } from '@/lib/api-keys/scopes';
import { findFiles } from '@/lib/testing/discover';

/** The scopes the REST routes ask for, read from their `apiRoute({ scope: '…' })` declarations. */
function scopesRoutesNeed(): Set<string> {
  const needed = new Set<string>();
  for (const file of findFiles('app/api', 'route.ts')) {
    for (const match of readFileSync(file, 'utf8').matchAll(/scope:\s*'([^']+)'/g)) needed.add(match[1]!);
  }
  return needed;
}

describe('API key scopes', () => {
  it('offers exactly the scopes some REST route needs: none for APIs that do not exist yet', () => {
    expect([...API_SCOPE_NAMES].sort()).toEqual([...scopesRoutesNeed()].sort());
  });

  it('tells scopes the API knows from ones an older key may hold', () => {
    expect(isKnownScope('events:write')).toBe(true);
    expect(isKnownScope('runs:write')).toBe(true);
    expect(isKnownScope('triggers:write')).toBe(true);
    expect(isKnownScope('notifications:write')).toBe(true);
    expect(isKnownScope('notifications:read')).toBe(false);
    expect(isKnownScope('toString')).toBe(false);
  });
});
