import { describe, expect, it } from 'vitest';
import { newNonce, pageContentSecurityPolicy, pageNeedsEval } from '@/lib/security/content-security-policy';

const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

describe('pageContentSecurityPolicy', () => {
  it('lets scripts run only with the nonce, never inline or eval in production, and refuses framing', () => {
    const policy = directives(pageContentSecurityPolicy({ nonce: 'abc', development: false, https: false }));
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });

  it("allows eval only under next dev, and upgrades requests only over https", () => {
    expect(directives(pageContentSecurityPolicy({ nonce: 'n', development: true, https: false })).get('script-src')).toContain("'unsafe-eval'");
    expect(directives(pageContentSecurityPolicy({ nonce: 'n', development: false, https: true })).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('pageNeedsEval', () => {
  it('is true for the trigger editor (new and edit) only', () => {
    expect(pageNeedsEval('/custom-events/triggers/new')).toBe(true);
    expect(pageNeedsEval('/custom-events/triggers/0b5e7a52-1c1e-4c9a-9d0e-3f4f1b2c3d4e')).toBe(true);
    for (const other of ['/custom-events', '/custom-events/triggers', '/event-definitions/new', '/', '/custom-events/triggers/new/x']) {
      expect(pageNeedsEval(other)).toBe(false);
    }
    expect(directives(pageContentSecurityPolicy({ nonce: 'n', development: false, https: false, allowEval: true })).get('script-src')).toContain("'unsafe-eval'");
  });
});

describe('newNonce', () => {
  it('is 128 random bits in base64, different each time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
