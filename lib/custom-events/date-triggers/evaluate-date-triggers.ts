import type pg from 'pg';
import { storeBusinessEvents } from '@/lib/custom-events/business-events/store-business-events';
import { conditionContext, type ObjectChange } from '@/lib/custom-events/changes/object-change';
import { compileCondition } from '@/lib/custom-events/changes/process-changes';
import { addDays, daysBetween, localDateTime } from '@/lib/custom-events/date-triggers/local-date';
import { BILLING_OBJECTS, findField, findObject } from '@/lib/custom-events/object-model';
import { inTransaction } from '@/lib/db/transaction';
import { logger } from '@/lib/logger';

/** Local days a date trigger catches up at most after a time when nothing ran (older ones are skipped, logged). */
export const MAX_CATCH_UP_DAYS = 31;

export interface DateTriggerReport {
  /** Active date triggers looked at. */
  triggers: number;
  /** (trigger, local day) evaluations done now. */
  days: number;
  /** Business events stored. */
  fired: number;
}

interface DateTriggerRow {
  id: string;
  workspace_id: string;
  version: number;
  event_type: string;
  base_object: string;
  condition: string;
  date_field: string;
  offset_days: number;
  run_at: string;
  time_zone: string;
  last_done: string | null;
}

/**
 * Evaluates the active date triggers (of one workspace, or all) as of `now`: for each, every local day in
 * its zone that is due (today once its local time has reached the trigger's time, earlier days not yet
 * evaluated: a catch-up of at most MAX_CATCH_UP_DAYS after downtime; a new trigger starts with its first due
 * day) is evaluated in its own transaction. A day fires for each record whose latest state (its latest
 * change, unless that is a DELETE) has the date field at `day - offset` (a datetime read in the trigger's
 * zone) and meets the optional condition. Exactly once per record and day, however often and by however
 * many processes this runs: `date_trigger_firings` (trigger, record, day) is written in the transaction
 * that stores the business event, and `date_trigger_runs` marks the day done in the same one, under a
 * per-trigger advisory lock.
 */
export async function evaluateDateTriggers(pool: pg.Pool, options: { now?: Date; workspaceId?: string } = {}): Promise<DateTriggerReport> {
  const now = options.now ?? new Date();
  const { rows } = await pool.query<DateTriggerRow>(
    `SELECT t.id, t.workspace_id, t.version, t.event_type, t.base_object, t.condition, t.date_field, t.offset_days, t.run_at, t.time_zone,
            (SELECT to_char(max(r.local_date), 'YYYY-MM-DD') FROM date_trigger_runs r WHERE r.trigger_id = t.id) AS last_done
       FROM triggers t
      WHERE t.kind = 'date' AND t.active AND ($1::uuid IS NULL OR t.workspace_id = $1::uuid)
      ORDER BY t.id`,
    [options.workspaceId ?? null],
  );
  const report: DateTriggerReport = { triggers: rows.length, days: 0, fired: 0 };
  for (const trigger of rows) {
    for (const day of dueDays(trigger, now)) {
      const fired = await inTransaction(pool, (client) => evaluateDay(client, trigger, day));
      if (fired === null) continue;
      report.days += 1;
      report.fired += fired;
    }
  }
  return report;
}

/** The local days due for `trigger` at `now`, oldest first. */
export function dueDays(trigger: Pick<DateTriggerRow, 'id' | 'run_at' | 'time_zone' | 'last_done'>, now: Date): string[] {
  const local = localDateTime(now, trigger.time_zone);
  const latestDue = local.time >= trigger.run_at ? local.date : addDays(local.date, -1);
  let first = trigger.last_done ? addDays(trigger.last_done, 1) : latestDue;
  const missed = daysBetween(first, latestDue) + 1;
  if (missed > MAX_CATCH_UP_DAYS) {
    const skippedTo = addDays(latestDue, -MAX_CATCH_UP_DAYS);
    logger.warn({ triggerId: trigger.id, from: first, to: skippedTo }, 'date trigger: days older than the catch-up window are skipped');
    first = addDays(skippedTo, 1);
  }
  const days: string[] = [];
  for (let day = first; day <= latestDue; day = addDays(day, 1)) days.push(day);
  return days;
}

/** One trigger's one local day, in the caller's transaction; null when another process did it first. */
async function evaluateDay(client: pg.ClientBase, trigger: DateTriggerRow, day: string): Promise<number | null> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('date-trigger:' || $1::text, 0))`, [trigger.id]);
  const done = await client.query(`SELECT 1 FROM date_trigger_runs WHERE trigger_id = $1 AND local_date = $2::date`, [trigger.id, day]);
  if (done.rowCount) return null;
  const candidates = await recordsDue(client, trigger, addDays(day, -trigger.offset_days));
  const test = compileCondition(trigger);
  const matching = candidates.filter((change) => holds(test, change, trigger));
  let fired = 0;
  if (matching.length) {
    const { rows } = await client.query<{ record_id: string }>(
      `INSERT INTO date_trigger_firings (trigger_id, record_id, fire_date)
       SELECT $1, r, $2::date FROM unnest($3::text[]) r
       ON CONFLICT DO NOTHING RETURNING record_id`,
      [trigger.id, day, matching.map((c) => c.recordId)],
    );
    const fresh = new Set(rows.map((r) => r.record_id));
    const stored = await storeBusinessEvents(
      client,
      trigger.workspace_id,
      matching
        .filter((c) => fresh.has(c.recordId))
        .map((c) => ({ triggerId: trigger.id, triggerVersion: trigger.version, eventType: trigger.event_type, condition: trigger.condition, changeId: c.id, fireDate: day })),
    );
    fired = stored.length;
  }
  await client.query(`INSERT INTO date_trigger_runs (trigger_id, local_date, fired) VALUES ($1, $2::date, $3)`, [trigger.id, day, fired]);
  return fired;
}

interface LatestChange extends ObjectChange {
  id: string;
}

/**
 * The records of the trigger's object whose latest change is not a DELETE and whose date field is `date`
 * (set-based: one statement over the object's changes, the latest per record by id).
 */
async function recordsDue(client: pg.ClientBase, trigger: DateTriggerRow, date: string): Promise<LatestChange[]> {
  const object = findObject(BILLING_OBJECTS, trigger.base_object);
  const field = object && findField(object, trigger.date_field);
  if (!field) return [];
  // A date field holds 'YYYY-MM-DD'; a datetime an ISO timestamp, whose day is read in the trigger's zone.
  const match =
    field.type === 'datetime'
      ? `(l.current->>$3) ~ '^\\d{4}-\\d{2}-\\d{2}T' AND ((l.current->>$3)::timestamptz AT TIME ZONE $5)::date = $4::date`
      : `l.current->>$3 = $4`;
  const { rows } = await client.query<{ id: string; record_id: string; change_type: ObjectChange['changeType']; current: ObjectChange['current']; previous: ObjectChange['previous']; changed_at: Date }>(
    // Each record's latest change (the highest id) from one pass over the object's changes, grouped by record
    // on two narrow columns; then only those rows are read whole, each by its primary key.
    `WITH latest AS (
       SELECT max(id) AS id FROM object_changes WHERE workspace_id = $1::uuid AND object = $2 GROUP BY record_id)
     SELECT l.id::text, l.record_id, l.change_type, l.current, l.previous, l.changed_at
       FROM latest
       CROSS JOIN LATERAL (SELECT c.id, c.record_id, c.change_type, c.current, c.previous, c.changed_at FROM object_changes c WHERE c.id = latest.id LIMIT 1) l
      WHERE l.change_type <> 'DELETE' AND ${match}
      ORDER BY l.record_id`,
    field.type === 'datetime' ? [trigger.workspace_id, trigger.base_object, field.name, date, trigger.time_zone] : [trigger.workspace_id, trigger.base_object, field.name, date],
  );
  return rows.map((r) => ({ id: r.id, object: trigger.base_object, recordId: r.record_id, changeType: r.change_type, current: r.current, previous: r.previous, time: r.changed_at.toISOString() }));
}

function holds(test: ((context: unknown) => unknown) | null, change: LatestChange, trigger: DateTriggerRow): boolean {
  if (!test) return false;
  try {
    return Boolean(test(conditionContext(change)));
  } catch (error) {
    logger.error({ triggerId: trigger.id, recordId: change.recordId, err: error }, 'date trigger condition failed on a record; not fired');
    return false;
  }
}
