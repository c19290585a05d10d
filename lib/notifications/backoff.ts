/** Retry schedule of deliveries: exponential with jitter, from a short first delay (tests stay short). */
export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 60 * 60_000 };

/** Attempts a delivery may make before it is failed (notification_deliveries.max_attempts defaults to it too). */
export const DEFAULT_MAX_ATTEMPTS = 10;

/**
 * How long to wait after failed attempt number `attempt` (1-based) before the next: base·2^(attempt−1),
 * plus up to half of that again as jitter (so endpoints that fail together do not retry in lockstep),
 * capped at maxMs. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponential = policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.maxMs, Math.round(exponential * (1 + random() / 2)));
}

/**
 * A Retry-After header as milliseconds from `now`: delta-seconds or an HTTP date; null when absent or
 * unreadable. Never more than `maxMs` (an endpoint cannot park its deliveries for a year).
 */
export function retryAfterMs(header: string | null | undefined, now: Date, maxMs: number = DEFAULT_BACKOFF.maxMs): number | null {
  if (!header) return null;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), maxMs);
}

/** When the next attempt is due: the backoff, or the endpoint's Retry-After when it asks for longer. */
export function nextAttemptDelayMs(attempt: number, retryAfter: number | null, policy: BackoffPolicy = DEFAULT_BACKOFF, random?: () => number): number {
  return Math.max(retryDelayMs(attempt, policy, random), retryAfter ?? 0);
}

/** The policy from NOTIFY_RETRY_BASE_MS / NOTIFY_RETRY_MAX_MS, else the defaults. */
export function backoffFromEnv(env: NodeJS.ProcessEnv = process.env): BackoffPolicy {
  const base = Number(env.NOTIFY_RETRY_BASE_MS);
  const max = Number(env.NOTIFY_RETRY_MAX_MS);
  return {
    baseMs: Number.isFinite(base) && base > 0 ? base : DEFAULT_BACKOFF.baseMs,
    maxMs: Number.isFinite(max) && max > 0 ? max : DEFAULT_BACKOFF.maxMs,
  };
}
