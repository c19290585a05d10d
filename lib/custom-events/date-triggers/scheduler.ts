import type pg from 'pg';
import { evaluateDateTriggers, type DateTriggerReport } from '@/lib/custom-events/date-triggers/evaluate-date-triggers';
import { getWorkPool } from '@/lib/db/pool';
import { logger } from '@/lib/logger';

/** How often the scheduler looks for due days: a trigger set for 06:00 fires within this after 06:00 local. */
export const DATE_TRIGGER_TICK_MS = 60_000;

export interface DateTriggerScheduler {
  /** One evaluation now (the timer's too); a tick while one runs waits for it rather than overlapping. */
  tick(): Promise<DateTriggerReport>;
  stop(): Promise<void>;
}

/**
 * Evaluates the date triggers every minute, in every process that starts it (the `npm start` server and each
 * `npm run worker`). No job queue is needed: what is due is computed from the clock and
 * date_trigger_runs, so any number of schedulers may run, a restarted one catches up the days it missed,
 * and none fires a record twice for a day (see evaluateDateTriggers). `now` is injectable for tests.
 */
export function startDateTriggerScheduler(options: { pool?: pg.Pool; now?: () => Date; intervalMs?: number; workspaceId?: string; timer?: boolean } = {}): DateTriggerScheduler {
  const pool = options.pool ?? getWorkPool();
  const now = options.now ?? (() => new Date());
  let running: Promise<DateTriggerReport> | null = null;
  let stopped = false;
  const tick = async (): Promise<DateTriggerReport> => {
    while (running) await running.catch(() => undefined);
    running = evaluateDateTriggers(pool, { now: now(), workspaceId: options.workspaceId });
    try {
      const report = await running;
      if (report.fired) logger.info(report, 'date triggers fired');
      return report;
    } finally {
      running = null;
    }
  };
  const onTimer = () => {
    if (stopped) return;
    tick().catch((error: unknown) => logger.error({ err: error }, 'date trigger evaluation failed; the next tick catches up'));
  };
  const timer = options.timer === false ? null : setInterval(onTimer, options.intervalMs ?? DATE_TRIGGER_TICK_MS);
  timer?.unref();
  if (timer) onTimer();
  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
