import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { nextAttemptDelayMs, retryAfterMs, retryDelayMs } from '@/lib/notifications/backoff';
import { composeMail } from '@/lib/notifications/email';
import { webhookUrlRefusal } from '@/lib/notifications/endpoint-url';
import { recipientsSchema } from '@/lib/notifications/endpoint-schema';
import { generateWebhookSecret, maskSecret } from '@/lib/notifications/secret';
import { signedHeaders, webhookBody, type EventForDelivery } from '@/lib/notifications/webhook';

const event: EventForDelivery = {
  id: '0b6f2a55-3a3e-4c53-9a8e-0c1f6f3f3b0a',
  eventType: 'InvoicePosted',
  triggerId: '019a0000-0000-7000-8000-000000000001',
  triggerVersion: 3,
  object: 'Invoice',
  recordId: 'INV-7',
  changeType: 'UPDATE',
  current: { Status: 'Posted', Amount: 1500 },
  previous: { Status: 'Draft', Amount: 1500 },
  changedFields: ['Status'],
  changedAt: new Date('2026-11-30T09:00:00Z'),
  processedAt: new Date('2026-11-30T09:00:01Z'),
  changeId: '42',
  firedFor: null,
};

describe('signing', () => {
  it('signs per Standard Webhooks: the receiver verifies with new Webhook(secret).verify, and a changed body fails', () => {
    const secret = generateWebhookSecret();
    const body = webhookBody(event);
    const headers = signedHeaders(secret, 'msg_1', body, new Date());
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'InvoicePosted', data: { recordId: 'INV-7', trigger: { version: 3 }, current: { Amount: 1500 } } });
    expect(() => new Webhook(secret).verify(body.replace('1500', '1501'), headers)).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('puts this attempt’s time in webhook-timestamp; a stale one is refused by receivers', () => {
    const secret = generateWebhookSecret();
    const body = webhookBody(event);
    const old = signedHeaders(secret, 'msg_1', body, new Date(Date.now() - 10 * 60_000));
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/too old/);
  });

  it('makes distinct 32-byte secrets and masks all but the last four characters', () => {
    const a = generateWebhookSecret();
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(generateWebhookSecret());
    expect(maskSecret(a)).toBe(`whsec_••••••••${a.slice(-4)}`);
    expect(maskSecret(a)).not.toContain(a.slice(6, 20));
  });
});

describe('backoff', () => {
  const policy = { baseMs: 2_000, maxMs: 60_000 };
  it('doubles from the base without jitter, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, policy, () => 0))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });
  it('adds at most half again as jitter', () => {
    expect(retryDelayMs(3, policy, () => 0.999)).toBe(Math.round(8_000 * 1.4995));
    // Half again at most, reached by rounding when random() is within 1/8,000 of 1 (the old bound, < 6,000,
    // failed about one run in forty).
    expect(retryDelayMs(2, policy, () => 0.99999)).toBe(6_000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(2, policy);
      expect(d).toBeGreaterThanOrEqual(4_000);
      expect(d).toBeLessThanOrEqual(6_000);
    }
  });
  it('reads Retry-After as seconds or an HTTP date, capped, and waits for it when it is longer than the backoff', () => {
    const now = new Date('2026-11-30T09:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 09:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('999999', now, 3_600_000)).toBe(3_600_000);
    expect(nextAttemptDelayMs(1, 30_000, policy, () => 0)).toBe(30_000);
    expect(nextAttemptDelayMs(3, 1_000, policy, () => 0)).toBe(8_000);
  });
});

describe('webhook URL policy', () => {
  it('takes http and https URLs, loopback included unless private addresses are blocked', () => {
    expect(webhookUrlRefusal('https://example.com/hooks', false)).toBeNull();
    expect(webhookUrlRefusal('http://127.0.0.1:4000/hook', false)).toBeNull();
    expect(webhookUrlRefusal('http://127.0.0.1:4000/hook', true)).toMatch(/loopback or private/);
    expect(webhookUrlRefusal('http://10.1.2.3/', true)).toMatch(/loopback or private/);
    expect(webhookUrlRefusal('http://[::1]/', true)).toMatch(/loopback or private/);
  });
  it('refuses other schemes, credentials, fragments, link-local and unspecified addresses, saying why', () => {
    expect(webhookUrlRefusal('ftp://example.com/', false)).toMatch(/Only http and https/);
    expect(webhookUrlRefusal('https://user:pw@example.com/', false)).toMatch(/user name and password/);
    expect(webhookUrlRefusal('https://example.com/#x', false)).toMatch(/fragment/);
    expect(webhookUrlRefusal('http://169.254.169.254/latest/meta-data', false)).toMatch(/link-local/);
    expect(webhookUrlRefusal('http://[::ffff:169.254.169.254]/', false)).toMatch(/link-local/);
    expect(webhookUrlRefusal('http://0.0.0.0:80/', false)).toMatch(/unspecified/);
    expect(webhookUrlRefusal('example.com/hook', false)).toMatch(/not a URL/);
  });
});

describe('email', () => {
  it('has a clear subject and a plain-text body with the event’s essentials and a link to its page', () => {
    const mail = composeMail(event, 'http://localhost:3000/custom-events/business-events/x');
    expect(mail.subject).toBe('[InvoicePosted] Invoice INV-7 (UPDATE)');
    expect(mail.text).toContain('Changed fields: Status');
    expect(mail.text).toContain('  Status: Posted');
    expect(mail.text).toContain('  Status: Draft');
    expect(mail.text).toContain('See the event: http://localhost:3000/custom-events/business-events/x');
  });
  it('parses recipients separated by commas, semicolons or spaces, naming the wrong ones', () => {
    expect(recipientsSchema.parse('a@example.com; b@example.com,a@example.com')).toEqual(['a@example.com', 'b@example.com']);
    const wrong = recipientsSchema.safeParse('a@example.com, nope');
    expect(wrong.success).toBe(false);
    expect(wrong.error!.issues[0]!.message).toMatch(/“nope” is not an email address/);
  });
});
