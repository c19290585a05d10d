import type pg from 'pg';
import { z } from 'zod';
import { conditionContext, type ObjectChange } from '@/lib/custom-events/changes/object-change';
import { conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import { AppError, notFound } from '@/lib/errors';
import { explain, type ExplainNode } from '@/lib/expressions/explain';

export const BUSINESS_EVENTS_PAGE = 50;

export interface BusinessEventRow {
  id: string;
  eventType: string;
  triggerId: string | null;
  triggerVersion: number;
  object: string;
  recordId: string;
  changeType: ObjectChange['changeType'];
  changedFields: string[];
  changedAt: string;
  processedAt: string;
}

export interface BusinessEventDetail extends BusinessEventRow {
  condition: string;
  changeId: string;
  current: ObjectChange['current'];
  previous: ObjectChange['previous'];
  /** The condition evaluated again on the change, part by part: why it fired. */
  explanation: ExplainNode;
  /** For a date trigger's event, the date it fired for ('YYYY-MM-DD'; the change is the record's latest); null otherwise. */
  firedFor: string | null;
}

export interface BusinessEventFilters {
  eventType?: string;
  object?: string;
  recordId?: string;
  /** Processed at or after / before (ISO). */
  from?: string;
  to?: string;
  /** Keyset cursor: the last row of the previous page. */
  before?: { processedAt: string; id: string };
}

const text = z.string().trim().max(255).optional().transform((v) => (v ? v : undefined));
const instant = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const time = Date.parse(v);
    if (Number.isNaN(time) || time < Date.parse('0001-01-01T00:00:00Z') || time > Date.parse('9999-12-31T23:59:59Z')) {
      ctx.addIssue({ code: 'custom', message: `“${v}” is not a time; use ISO 8601, e.g. 2026-11-30T00:00:00Z.` });
      return z.NEVER;
    }
    return new Date(time).toISOString();
  });
const filterSchema = z.object({ eventType: text, object: text, recordId: text, from: instant, to: instant, before: z.string().optional() });

/** Filters from URL parameters (the page's form), with errors that name the parameter. */
export function parseBusinessEventFilters(params: Record<string, string | undefined>): BusinessEventFilters {
  const parsed = filterSchema.safeParse(params);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0])] ??= []).push(issue.message);
    throw new AppError('INVALID_QUERY', 'Some filters need attention.', { fieldErrors });
  }
  const { before, ...rest } = parsed.data;
  const cursor = before ? decodeCursor(before) : undefined;
  return { ...rest, ...(cursor ? { before: cursor } : {}) };
}

export const encodeCursor = (row: Pick<BusinessEventRow, 'processedAt' | 'id'>) => Buffer.from(`${row.processedAt}|${row.id}`).toString('base64url');
function decodeCursor(text: string): BusinessEventFilters['before'] {
  const [processedAt, id] = Buffer.from(text, 'base64url').toString().split('|');
  return processedAt && id && !Number.isNaN(Date.parse(processedAt)) && z.uuid().safeParse(id).success ? { processedAt, id } : undefined;
}

// A business event references its change: the changed fields (and, on the event's page, the values) come from
// object_changes; the condition of its trigger version from trigger_versions.
const COLUMNS = `e.id, e.event_type, e.trigger_id, e.trigger_version, e.object, e.record_id, e.change_type, c.changed_fields, e.changed_at, e.processed_at`;
const FROM = `business_events e JOIN object_changes c ON c.id = e.change_id`;

interface Row {
  id: string;
  event_type: string;
  trigger_id: string | null;
  trigger_version: number;
  object: string;
  record_id: string;
  change_type: ObjectChange['changeType'];
  changed_fields: string[];
  changed_at: Date;
  processed_at: Date;
}

const rowOf = (r: Row): BusinessEventRow => ({
  id: r.id,
  eventType: r.event_type,
  triggerId: r.trigger_id,
  triggerVersion: r.trigger_version,
  object: r.object,
  recordId: r.record_id,
  changeType: r.change_type,
  changedFields: r.changed_fields,
  changedAt: r.changed_at.toISOString(),
  processedAt: r.processed_at.toISOString(),
});

/** A page of the workspace's business events, newest processed first, keyset-paged; `next` is the cursor of the following page. */
export async function listBusinessEvents(db: pg.Pool, workspaceId: string, filters: BusinessEventFilters = {}): Promise<{ events: BusinessEventRow[]; next: string | null }> {
  const where = ['e.workspace_id = $1::uuid'];
  const values: unknown[] = [workspaceId];
  const add = (sql: (n: number) => string, value: unknown) => {
    values.push(value);
    where.push(sql(values.length));
  };
  if (filters.eventType) add((n) => `lower(e.event_type) = lower($${n})`, filters.eventType);
  if (filters.object) add((n) => `lower(e.object) = lower($${n})`, filters.object);
  if (filters.recordId) add((n) => `e.record_id = $${n}`, filters.recordId);
  if (filters.from) add((n) => `e.changed_at >= $${n}::timestamptz`, filters.from);
  if (filters.to) add((n) => `e.changed_at < $${n}::timestamptz`, filters.to);
  if (filters.before) {
    values.push(filters.before.processedAt, filters.before.id);
    where.push(`(e.processed_at, e.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(BUSINESS_EVENTS_PAGE + 1);
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY e.processed_at DESC, e.id DESC LIMIT $${values.length}`, values);
  const events = rows.slice(0, BUSINESS_EVENTS_PAGE).map(rowOf);
  return { events, next: rows.length > BUSINESS_EVENTS_PAGE ? encodeCursor(events.at(-1)!) : null };
}

/** One business event with its payload and the explanation of its condition on its change; 404 for another workspace's. */
export async function getBusinessEvent(db: pg.Pool, workspaceId: string, id: string): Promise<BusinessEventDetail> {
  const row = z.uuid().safeParse(id).success
    ? (
        await db.query<Row & { condition: string; change_id: string; current: ObjectChange['current']; previous: ObjectChange['previous']; fired_for: string | null }>(
          `SELECT ${COLUMNS}, v.condition, e.change_id::text, c.current, c.previous,
                  (SELECT to_char(f.fire_date, 'YYYY-MM-DD') FROM date_trigger_firings f
                    WHERE f.trigger_id = e.trigger_id AND f.record_id = e.record_id AND f.fire_date = e.fire_date) AS fired_for
             FROM ${FROM} JOIN trigger_versions v ON v.id = e.trigger_version_id
            WHERE e.id = $1::uuid AND e.workspace_id = $2::uuid`,
          [id, workspaceId],
        )
      ).rows[0]
    : undefined;
  if (!row) throw notFound('That business event');
  const event = rowOf(row);
  const change: ObjectChange = { object: row.object, recordId: row.record_id, changeType: row.change_type, current: row.current, previous: row.previous, time: event.changedAt };
  const explanation = explain(row.condition, conditionContext(change), conditionSchemaFor(row.object));
  return { ...event, condition: row.condition, changeId: row.change_id, current: row.current, previous: row.previous, explanation, firedFor: row.fired_for };
}
