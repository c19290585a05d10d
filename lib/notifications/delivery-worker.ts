import type pg from 'pg';
import { logger } from '@/lib/logger';
import { backoffFromEnv, nextAttemptDelayMs, type BackoffPolicy } from '@/lib/notifications/backoff';
import { composeMail, sendMail, type MailTransport } from '@/lib/notifications/email';
import { isAppError } from '@/lib/errors';
import { openWebhookSecret } from '@/lib/notifications/secret';
import { sendWebhook, webhookBody, type AttemptOutcome, type EventForDelivery } from '@/lib/notifications/webhook';

export interface DeliveryWorkerOptions {
  pool: pg.Pool;
  /** The console's own address, for links in mail (…/custom-events/business-events/<id>). */
  appUrl: string;
  /** Where email goes; without one, email deliveries fail with a message saying so. */
  mail?: MailTransport;
  /** Milliseconds between looks for due deliveries when there is nothing to do. */
  pollMs?: number;
  /** A webhook request (or an SMTP session) that takes longer is cut off and counted as failed. */
  timeoutMs?: number;
  /** Attempts in flight at once, across endpoints, in this process. */
  concurrency?: number;
  /** Attempts in flight at once per endpoint (all processes): a slow endpoint holds at most these slots. */
  perEndpoint?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Only these workspaces' deliveries (tests that share a database). */
  workspaceIds?: string[];
}

export interface DeliveryWorker {
  /** Stops looking for work and waits for the attempts in flight (each ends within timeoutMs). */
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  channel: 'webhook' | 'email';
  attempts: number;
  max_attempts: number;
  resend_by: string | null;
  url: string | null;
  secret: string | null;
  recipients: string[];
  event_id: string;
  event_type: string;
  trigger_id: string | null;
  trigger_version: number;
  object: string;
  record_id: string;
  change_type: EventForDelivery['changeType'];
  current: EventForDelivery['current'];
  previous: EventForDelivery['previous'];
  changed_fields: string[];
  changed_at: Date;
  processed_at: Date;
  change_id: string;
  fired_for: string | null;
}

/**
 * Due deliveries, fairly across endpoints: per active endpoint, its oldest due ones up to its free slots
 * (perEndpoint minus those in flight under a live lease), so a slow endpoint's backlog never hides another
 * endpoint's deliveries; then at most `limit`, oldest first. Claimed rows become `sending` under a lease
 * (locked_until) and count their attempt; SKIP LOCKED lets any number of processes claim side by side.
 */
const CLAIM = `
  WITH due AS (
    SELECT x.id, x.next_attempt_at
      FROM notification_endpoints e
      CROSS JOIN LATERAL (
        SELECT d.id, d.next_attempt_at FROM notification_deliveries d
         WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= now()
         ORDER BY d.next_attempt_at, d.id
         LIMIT greatest(0, $1::int - (SELECT count(*) FROM notification_deliveries s WHERE s.endpoint_id = e.id AND s.status = 'sending' AND s.locked_until > now()))
      ) x
     WHERE e.active AND ($4::uuid[] IS NULL OR e.workspace_id = ANY($4::uuid[]))
     ORDER BY x.next_attempt_at
     LIMIT $2
  ), picked AS (
    SELECT d.id FROM notification_deliveries d WHERE d.id IN (SELECT id FROM due) AND d.status = 'pending' FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE notification_deliveries d
     SET status = 'sending', attempts = d.attempts + 1, locked_until = now() + make_interval(secs => $3::int), updated_at = now()
    FROM picked p, notification_endpoints e, business_events b, object_changes c
   WHERE d.id = p.id AND e.id = d.endpoint_id AND b.id = d.event_id AND c.id = b.change_id
  RETURNING d.id, d.workspace_id, d.endpoint_id, d.channel, d.attempts, d.max_attempts, d.resend_by, e.url, e.secret, e.recipients,
            b.id AS event_id, b.event_type, b.trigger_id, b.trigger_version, b.object, b.record_id, b.change_type, c.current, c.previous,
            c.changed_fields, b.changed_at, b.processed_at, b.change_id::text,
            (SELECT to_char(f.fire_date, 'YYYY-MM-DD') FROM date_trigger_firings f
              WHERE f.trigger_id = b.trigger_id AND f.record_id = b.record_id AND f.fire_date = b.fire_date) AS fired_for`;

/** Leases that ran out (a process died mid-attempt): due again. */
const RELEASE_EXPIRED = `
  UPDATE notification_deliveries d SET status = 'pending', locked_until = NULL, updated_at = now()
    FROM notification_endpoints e
   WHERE d.endpoint_id = e.id AND d.status = 'sending' AND d.locked_until < now()`;

/**
 * Starts delivering: claims due deliveries every pollMs (and at once when an attempt ends), sends each
 * (signed webhook, or mail), and settles it with its attempt logged (see settle). Change processing only
 * inserts the outbox rows; nothing here holds it up.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const settings = {
    pollMs: options.pollMs ?? 500,
    timeoutMs: options.timeoutMs ?? Number(process.env.NOTIFY_TIMEOUT_MS ?? 15_000),
    concurrency: options.concurrency ?? 32,
    perEndpoint: options.perEndpoint ?? 4,
    backoff: options.backoff ?? backoffFromEnv(),
  };
  const leaseSeconds = Math.ceil(settings.timeoutMs / 1000) + 30;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | null = null;
  let again = false;
  let lastRelease = 0;

  const tick = async () => {
    if (Date.now() - lastRelease > 10_000) {
      lastRelease = Date.now();
      await options.pool.query(RELEASE_EXPIRED);
    }
    const free = settings.concurrency - inFlight.size;
    if (free <= 0) return;
    const { rows } = await options.pool.query<Claimed>(CLAIM, [settings.perEndpoint, free, leaseSeconds, options.workspaceIds ?? null]);
    for (const row of rows) {
      const attempt = attemptOne(options, settings, row)
        .catch((error: unknown) => logger.error({ err: error, deliveryId: row.id }, 'a delivery attempt could not be recorded; its lease will expire and it will be tried again'))
        .finally(() => {
          inFlight.delete(attempt);
          wake();
        });
      inFlight.add(attempt);
    }
  };
  // One tick at a time; a wake during a tick runs another right after it.
  const wake = () => {
    if (stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    clearTimeout(timer);
    ticking = tick()
      .catch((error: unknown) => logger.warn({ err: error }, 'looking for due notification deliveries failed; trying again'))
      .finally(() => {
        ticking = null;
        if (stopped) return;
        if (again) {
          again = false;
          wake();
        } else timer = setTimeout(wake, settings.pollMs);
      });
  };
  wake();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function attemptOne(options: DeliveryWorkerOptions, settings: { timeoutMs: number; backoff: BackoffPolicy }, row: Claimed): Promise<void> {
  const startedAt = new Date();
  const event = eventOf(row);
  let outcome: AttemptOutcome;
  if (row.channel === 'webhook') {
    const secret = signingSecret(row.secret);
    outcome = secret.ok
      ? await sendWebhook({ url: row.url ?? '', secret: secret.value, webhookId: `msg_${row.id}`, body: webhookBody(event), timeoutMs: settings.timeoutMs })
      : { ok: false, statusCode: null, responseExcerpt: null, error: secret.error, durationMs: 0, gone: false, retryAfterMs: null };
  } else if (!options.mail) {
    outcome = { ok: false, statusCode: null, responseExcerpt: null, error: 'No mail server is configured (SMTP_URL), and the mail catcher is not running.', durationMs: 0, gone: false, retryAfterMs: null };
  } else {
    const url = `${options.appUrl.replace(/\/$/, '')}/custom-events/business-events/${event.id}`;
    outcome = await sendMail(options.mail, { to: row.recipients, mail: composeMail(event, url), deliveryId: row.id, workspaceId: row.workspace_id, eventId: event.id });
  }
  await settle(options.pool, row, startedAt, outcome, nextAttemptDelayMs(row.attempts, outcome.retryAfterMs, settings.backoff, options.random));
}

/**
 * Records the attempt and moves the delivery on, in one transaction: a 2xx (or accepted mail) succeeds it;
 * a 410 fails it and disables the endpoint with the reason; otherwise it is due again after `delayMs`
 * (backoff, or Retry-After when longer) until its attempts reach max_attempts, then it is failed. The
 * update is fenced on the attempt number: a settle whose lease was taken over changes nothing but the log.
 */
async function settle(pool: pg.Pool, row: Claimed, startedAt: Date, outcome: AttemptOutcome, delayMs: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO notification_attempts (delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt, error, succeeded, resend_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [row.id, row.attempts, startedAt, outcome.durationMs, outcome.statusCode, outcome.responseExcerpt, outcome.error, outcome.ok, row.resend_by],
    );
    const status = outcome.ok ? 'succeeded' : outcome.gone || row.attempts >= row.max_attempts ? 'failed' : 'pending';
    await client.query(
      `UPDATE notification_deliveries
          SET status = $3::"DeliveryStatus", locked_until = NULL, last_status = $4, last_error = $5, resend_by = NULL, updated_at = now(),
              next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $6::double precision / 1000) ELSE next_attempt_at END,
              delivered_at = CASE WHEN $3 = 'succeeded' THEN now() ELSE delivered_at END
        WHERE id = $1 AND attempts = $2 AND status = 'sending'`,
      [row.id, row.attempts, status, outcome.statusCode, outcome.error, delayMs],
    );
    if (outcome.gone) {
      await client.query(`UPDATE notification_endpoints SET active = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND active`, [
        row.endpoint_id,
        `Disabled at ${new Date().toISOString()}: the endpoint answered 410 Gone, which asks never to be called again. Check the URL, then enable it.`,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The endpoint's signing secret, decrypted; when it cannot be (SECRETS_KEY changed), the attempt fails saying why. */
function signingSecret(stored: string | null): { ok: true; value: string } | { ok: false; error: string } {
  try {
    return { ok: true, value: openWebhookSecret(stored ?? '') };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.userMessage };
    throw error;
  }
}

function eventOf(row: Claimed): EventForDelivery {
  return {
    id: row.event_id,
    eventType: row.event_type,
    triggerId: row.trigger_id,
    triggerVersion: row.trigger_version,
    object: row.object,
    recordId: row.record_id,
    changeType: row.change_type,
    current: row.current,
    previous: row.previous,
    changedFields: row.changed_fields,
    changedAt: row.changed_at,
    processedAt: row.processed_at,
    changeId: row.change_id,
    firedFor: row.fired_for,
  };
}
