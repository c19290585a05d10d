import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedClientAddress, withTrustedClientAddress } from './forwarded-for.mjs';

describe('trustedClientAddress', () => {
  it('without a trusted proxy, is the socket peer whatever the client claims', () => {
    expect(trustedClientAddress('203.0.113.7', '198.51.100.1', 0)).toBe('203.0.113.7');
    expect(trustedClientAddress('::ffff:203.0.113.7', undefined, 0)).toBe('203.0.113.7');
    expect(trustedClientAddress(undefined, undefined, 0)).toBe('unknown');
  });

  it('behind N appending proxies, is the entry N from the right; values a client prepended are ignored', () => {
    // client 198.51.100.1 sent a forged "6.6.6.6"; the proxy appended what it saw, then connected to us.
    expect(trustedClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.1', 1)).toBe('198.51.100.1');
    expect(trustedClientAddress('10.0.0.3', '6.6.6.6, 198.51.100.1, 10.0.0.2', 2)).toBe('198.51.100.1');
    expect(trustedClientAddress('10.0.0.2', ['6.6.6.6', '198.51.100.1'], 1)).toBe('198.51.100.1');
    // Fewer entries than hops: the leftmost there is.
    expect(trustedClientAddress('10.0.0.2', undefined, 3)).toBe('10.0.0.2');
  });

  it('keeps an address to 64 characters', () => {
    expect(trustedClientAddress('10.0.0.2', `${'a'.repeat(5000)}, x`, 2)).toHaveLength(64);
  });
});

describe('withTrustedClientAddress, on a real server', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer(
      withTrustedClientAddress((req, res) => {
        res.end(String(req.headers['x-forwarded-for']));
      }, 0),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('replaces a forged X-Forwarded-For with the address the request came from', async () => {
    const seen = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '198.51.100.2' } })).text();
    expect(seen).toBe('127.0.0.1');
  });
});
