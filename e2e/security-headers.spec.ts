import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIResponse } from '@playwright/test';
import { addUser, expect, signIn, test } from './fixtures';

function expectCommonHeaders(response: APIResponse) {
  const headers = response.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  return headers['content-security-policy']!;
}

const directive = (policy: string, name: string) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));

test('pages, API routes and static files all carry the security headers; page scripts run only with the nonce', async ({ request }) => {
  const page = await request.get('/sign-in');
  const policy = expectCommonHeaders(page);
  const scriptSrc = directive(policy, 'script-src')!;
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  expect(nonce).toBeTruthy();
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  // Every script the page ships, inline or not, carries this response's nonce.
  const html = await page.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A fresh nonce per response.
  const again = expectCommonHeaders(await request.get('/sign-in'));
  expect(again).not.toContain(nonce!);

  const missing = await request.get('/no-such-page');
  expect(missing.status()).toBe(404);
  expect(directive(expectCommonHeaders(missing), 'script-src')).toMatch(/'nonce-/);

  for (const path of ['/api/health', '/api/v1/event-stores']) {
    expect(expectCommonHeaders(await request.get(path))).toBe("default-src 'none'; frame-ancestors 'none'");
  }

  const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset).toBeTruthy();
  const file = await request.get(asset!);
  expect(file.status()).toBe(200);
  expect(directive(expectCommonHeaders(file), 'default-src')).toBe("default-src 'self'");
});

test.describe('framing', () => {
  // The refusal is what this test provokes; the browser reports it as a violation.
  test.use({ allowedPolicyViolations: /frame-ancestors/ });

  test('another site cannot show a signed-in page in a frame, even on the same host (cookies go along)', async ({ page }) => {
    await signIn(page, await addUser('demo:owner'));
    const console = new URL(page.url()).origin;
    // Another port of the same host is the same site, so the session cookie goes into the frame. A real
    // local server: Chromium refuses frames from pages it cannot place on the local network.
    const elsewhere = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<h1>Elsewhere</h1><iframe src="${console}/settings/api-keys" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((listening) => elsewhere.listen(0, '127.0.0.1', listening));
    try {
      await page.goto(`http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`);
      await expect(page.getByRole('heading', { name: 'Elsewhere' })).toBeVisible();
      const framed = page.frames().find((frame) => frame !== page.mainFrame())!;
      // Chromium replaces a refused frame with its error page; a framed console would show its own URL.
      await expect.poll(() => framed.url()).toBe('chrome-error://chromewebdata/');
    } finally {
      elsewhere.close();
    }
  });
});
