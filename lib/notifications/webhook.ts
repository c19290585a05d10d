import { Webhook } from 'standardwebhooks';
import type { BusinessEventDetail } from '@/lib/custom-events/changes/read-business-events';
import { retryAfterMs } from '@/lib/notifications/backoff';
import { assertDeliverable } from '@/lib/notifications/endpoint-url';

/** The business event as a delivery carries it (webhook body's `data`, and the email's facts): the event page's facts, with times as Dates. */
export type EventForDelivery = Omit<BusinessEventDetail, 'condition' | 'explanation' | 'changedAt' | 'processedAt'> & { changedAt: Date; processedAt: Date };

/** The outcome of one attempt, as the delivery log keeps it. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  /** At most EXCERPT_BYTES of the answer (or the SMTP server's reply). */
  responseExcerpt: string | null;
  error: string | null;
  durationMs: number;
  /** 410 Gone: the receiver asks never to be called again. */
  gone: boolean;
  /** The receiver's Retry-After, in ms from now. */
  retryAfterMs: number | null;
}

export const EXCERPT_BYTES = 1024;

/** The JSON body of a webhook: Standard Webhooks' suggested { type, timestamp, data }. */
export function webhookBody(event: EventForDelivery): string {
  return JSON.stringify({
    type: event.eventType,
    timestamp: event.processedAt.toISOString(),
    data: {
      id: event.id,
      eventType: event.eventType,
      trigger: { id: event.triggerId, version: event.triggerVersion },
      object: event.object,
      recordId: event.recordId,
      changeType: event.changeType,
      current: event.current,
      previous: event.previous,
      changedFields: event.changedFields,
      changedAt: event.changedAt.toISOString(),
      processedAt: event.processedAt.toISOString(),
      changeId: event.changeId,
      // A date trigger's event: the date it fired for (local to the trigger's zone); null for a change trigger's.
      firedFor: event.firedFor,
    },
  });
}

/**
 * The Standard Webhooks headers for one attempt: `webhook-id` stays the same on every attempt of a delivery
 * (the receiver's idempotency key), the timestamp is this attempt's, the signature covers id, timestamp and body.
 */
export function signedHeaders(secret: string, webhookId: string, body: string, now: Date): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'usage-mediation-console-webhooks/1',
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(webhookId, now, body),
  };
}

/**
 * POSTs one signed webhook and says how it went. Never throws: a refused address, a network error or the
 * timeout is an outcome with `error`. Redirects are not followed (a 3xx is a failure), any 2xx is success.
 */
export async function sendWebhook(input: { url: string; secret: string; webhookId: string; body: string; timeoutMs: number; now?: () => Date }): Promise<AttemptOutcome> {
  const now = input.now ?? (() => new Date());
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  const failed = (error: string, statusCode: number | null = null): AttemptOutcome => ({ ok: false, statusCode, responseExcerpt: null, error, durationMs: took(), gone: false, retryAfterMs: null });
  const signal = AbortSignal.timeout(input.timeoutMs);
  try {
    await assertDeliverable(input.url);
  } catch (error) {
    return failed((error as Error).message);
  }
  try {
    const response = await fetch(input.url, { method: 'POST', headers: signedHeaders(input.secret, input.webhookId, input.body, now()), body: input.body, redirect: 'manual', signal });
    const excerpt = await readExcerpt(response);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      statusCode: response.status,
      responseExcerpt: excerpt,
      error: ok ? null : `The endpoint answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      durationMs: took(),
      gone: response.status === 410,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now()),
    };
  } catch (error) {
    if (signal.aborted) return failed(`No answer within ${input.timeoutMs} ms: the request was cut off.`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return failed(`The request failed: ${cause?.code ?? cause?.message ?? (error as Error).message}.`);
  }
}

/** The first EXCERPT_BYTES of a response body, then the rest is dropped unread. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES);
  // A multi-byte character cut at the limit decodes to U+FFFD; drop it.
  return bytes.toString('utf8').replace(/\uFFFD$/, '') || null;
}
