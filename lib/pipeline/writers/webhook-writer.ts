import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { MeterNode } from '@/lib/meters/graph';
import { nodeName } from '@/lib/meters/kinds/labels';
import { webhookConfigSchema, type WebhookConfig } from '@/lib/meters/kinds/target-webhook';
import type { TargetWriter, TargetWriterFactory } from '@/lib/pipeline/writers/target-writer';
import type { TargetCounts } from '@/lib/runs/types';

export interface WebhookOptions {
  /** The shared secret sent in `config.secretHeader` (the worker's WEBHOOK_SECRET); never logged. */
  secret?: string;
  /** Per request. */
  timeoutMs?: number;
  /** Tries per batch, the first included. */
  attempts?: number;
  /** The wait before the first retry; doubled for each next one (with up to 25% jitter). */
  backoffMs?: number;
  /** The run's signal: a cancel stops the waits and the request in flight. */
  signal?: AbortSignal;
}

const DEFAULTS = { timeoutMs: 10_000, attempts: 4, backoffMs: 500 };

/** Worth another try: the receiver is down, overloaded or slow (5xx, 408, 429), or the network failed. */
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/** The address without its query string (which may carry a token) for messages and logs. */
function where(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });

/**
 * POSTs records as JSON arrays of up to `config.batchSize`, one request at a time (the receiver sees them in
 * the run's order). A batch that meets a 5xx, 408, 429, a network error or a timeout is tried again after a
 * growing wait; after the last try, or at once on any other non-2xx answer (a redirect included: records are
 * never re-sent to an address the meter does not name), the write throws WEBHOOK_FAILED
 * naming the node, the address (without its query) and the status, and the run fails. Headers are never
 * logged. `sent` counts records the receiver accepted (2xx).
 */
export function createWebhookWriter(node: MeterNode, config: WebhookConfig, options: WebhookOptions = {}): TargetWriter {
  const { timeoutMs, attempts, backoffMs } = { ...DEFAULTS, ...options };
  const who = nodeName(node);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.secretHeader) {
    if (!options.secret) {
      throw new AppError('WEBHOOK_SECRET_MISSING', `${who} sends a secret in the header “${config.secretHeader}”, but the worker has none: set WEBHOOK_SECRET in its environment, or clear the header name.`);
    }
    headers[config.secretHeader] = options.secret;
  }
  /** `sent`: records of this write the receiver accepted before the failing batch (in the error's details). */
  const fail = (reason: string, tries: number, sent: number) =>
    new AppError('WEBHOOK_FAILED', `${who}: POST to ${where(config.url)} failed: ${reason}${tries > 1 ? ` after ${tries} attempts` : ''}. Nothing after this batch was sent.`, {
      status: 502,
      details: { nodeId: node.id, sent },
    });

  async function post(body: string, sentBefore: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      let again: boolean;
      try {
        const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
        const response = await fetch(config.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return;
        reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
        again = retryable(response.status);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        reason = networkReason(error, timeoutMs);
        again = true;
      }
      if (!again || attempt >= attempts) throw fail(reason, attempt, sentBefore);
      const wait = backoffMs * 2 ** (attempt - 1) * (1 + Math.random() / 4);
      logger.warn({ nodeId: node.id, url: where(config.url), reason, attempt }, 'webhook batch failed; retrying');
      await sleep(wait, options.signal);
    }
  }

  return {
    async write(records: FlowRecord[]): Promise<TargetCounts> {
      let sent = 0;
      for (let i = 0; i < records.length; i += config.batchSize) {
        const batch = records.slice(i, i + config.batchSize);
        await post(JSON.stringify(batch), sent);
        sent += batch.length;
      }
      return { inserted: 0, replaced: 0, unchanged: 0, sent };
    },
    samples: () => [],
    close: async () => undefined,
  };
}

/** The Webhook target of a real run: the node's saved config, the worker's WEBHOOK_SECRET, the run's signal. */
export const webhookWriterFactory: TargetWriterFactory = (node, _run, deps) =>
  createWebhookWriter(node, webhookConfigSchema.parse(node.config ?? {}), { secret: process.env.WEBHOOK_SECRET, signal: deps.signal });
