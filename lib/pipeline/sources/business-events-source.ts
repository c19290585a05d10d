import type pg from 'pg';
import { businessEventRecord, type StoredBusinessEventForFlow } from '@/lib/meters/kinds/source-business-events';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { TimeRange } from '@/lib/pipeline/sources/event-store-source';
import { snapshotPages } from '@/lib/pipeline/sources/snapshot-pages';
import type { SourceBatch } from '@/lib/pipeline/sources/source-batch';

/**
 * Every SQL statement that reads `business_events` for the Business Events source lives in this file: the run's
 * scan, the preview's sample and the Run dialog's hints and estimate. Rows become flow records through
 * businessEventRecord (lib/meters/kinds/source-business-events.ts), which alone knows the record's shape.
 */

/** A Business Events source node: the event type it reads and the object whose fields its records carry. */
export interface BusinessEventSourceNode {
  nodeId: string;
  eventType: string;
  /** The trigger's object (context.eventTypes), which decides the record's value fields. */
  object: string;
}

export interface BusinessEventsSourceOptions {
  /** Events per page; 5,000 by default, as the Event Store source. */
  pageSize?: number;
  /** Called after each page is read, before it is handed on (tests store events between pages here). */
  afterPage?: (page: number) => Promise<void>;
}

export const BUSINESS_EVENT_PAGE_SIZE = 5_000;

interface EventRow {
  id: string;
  event_type: string;
  trigger_version: number;
  object: string;
  record_id: string;
  change_type: string;
  changed_fields: string[];
  changed_at: Date;
  processed_at: Date;
  current: StoredBusinessEventForFlow['current'];
  previous: StoredBusinessEventForFlow['previous'];
}

// An event refers to its change for its values and changed fields (business_events copies only what lists
// filter on): every read joins it, by the change's primary key.
const COLUMNS = 'e.id::text AS id, e.event_type, e.trigger_version, e.object, e.record_id, e.change_type::text AS change_type, c.changed_fields, e.changed_at, e.processed_at, c.current, c.previous';
const EVENTS_WITH_CHANGES = 'business_events e JOIN object_changes c ON c.id = e.change_id';

const toStored = (row: EventRow): StoredBusinessEventForFlow => ({
  id: row.id,
  eventType: row.event_type,
  triggerVersion: row.trigger_version,
  object: row.object,
  recordId: row.record_id,
  changeType: row.change_type,
  changedFields: row.changed_fields,
  changedAt: row.changed_at,
  processedAt: row.processed_at,
  current: row.current ?? {},
  previous: row.previous ?? {},
});

/**
 * The business events of the workspace read by a run's Business Events sources, in ONE keyset-paged scan in
 * (changed_at, id) order over the types the nodes read, each event handed to every node reading its type.
 * A frame bounds the change time: [from, to).
 *
 * **A run reads its scope as of its start**, as the Event Store source does: the scan runs in one
 * `REPEATABLE READ READ ONLY` transaction on a client of its own (snapshotPages), whose snapshot the first
 * page takes. Events
 * stored while the run goes (changes processed meanwhile, even with a change time inside the frame, or a date
 * trigger firing) are all out of it, whatever page the scan has reached; the next run sees them.
 *
 * Each page seeks the `(workspace_id, event_type, changed_at, id)` index per type (never OFFSET); several
 * types are merged by the server (one `UNION ALL` branch per type). Event ids are unique across types, so
 * every branch continues strictly after the cursor. The next page is read while the current one is
 * processed; at most two pages are held at once.
 */
export async function* businessEventsSource(
  pool: pg.Pool,
  workspaceId: string,
  nodes: readonly BusinessEventSourceNode[],
  range: TimeRange,
  options: BusinessEventsSourceOptions = {},
): AsyncGenerator<SourceBatch> {
  const nodesOfType = new Map<string, BusinessEventSourceNode[]>();
  for (const node of nodes) (nodesOfType.get(node.eventType) ?? nodesOfType.set(node.eventType, []).get(node.eventType)!).push(node);
  const types = [...nodesOfType.keys()].sort();
  if (!types.length) return;
  const pageSize = options.pageSize ?? BUSINESS_EVENT_PAGE_SIZE;
  const readPage = async (client: pg.ClientBase, last: EventRow | null) =>
    (await client.query<EventRow>(scanQuery(workspaceId, types, range, last && { time: last.changed_at, id: last.id }, pageSize))).rows;
  for await (const rows of snapshotPages(pool, readPage, pageSize, options.afterPage)) yield toBatch(rows, nodes, nodesOfType);
}

function toBatch(rows: EventRow[], nodes: readonly BusinessEventSourceNode[], nodesOfType: ReadonlyMap<string, BusinessEventSourceNode[]>): SourceBatch {
  const records = new Map<string, FlowRecord[]>(nodes.map((n) => [n.nodeId, []]));
  for (const row of rows) {
    const readers = nodesOfType.get(row.event_type) ?? [];
    // Nodes of one type share the object, hence the record.
    const record = businessEventRecord(toStored(row), readers[0]!.object);
    for (const node of readers) records.get(node.nodeId)!.push(record);
  }
  return { records, read: rows.length };
}

/** One page: per type an ordered index range scan strictly after the cursor, merged by the outer ORDER BY … LIMIT. */
export function scanQuery(workspaceId: string, types: readonly string[], range: TimeRange, cursor: { time: Date; id: string } | null, limit: number) {
  const values: unknown[] = [limit, workspaceId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const conditions = [...rangeConditions(range, param)];
  if (cursor) conditions.push(`(e.changed_at, e.id) > (${param(cursor.time)}::timestamptz, ${param(cursor.id)}::uuid)`);
  const branch = (type: string) =>
    `SELECT ${COLUMNS} FROM ${EVENTS_WITH_CHANGES} WHERE ${['e.workspace_id = $2::uuid', `e.event_type = ${param(type)}`, ...conditions].join(' AND ')} ORDER BY e.changed_at, e.id LIMIT $1`;
  if (types.length === 1) return { text: branch(types[0]!), values };
  return { text: `SELECT * FROM (${types.map((t) => `(${branch(t)})`).join(' UNION ALL ')}) AS merged ORDER BY changed_at, id::uuid LIMIT $1`, values };
}

function rangeConditions(range: TimeRange, param: (value: unknown) => string): string[] {
  const conditions: string[] = [];
  if (range.from) conditions.push(`e.changed_at >= ${param(range.from)}::timestamptz`);
  if (range.to) conditions.push(`e.changed_at < ${param(range.to)}::timestamptz`);
  return conditions;
}

/**
 * The preview's sample of one node: the newest `limit` events of its type (keyset scan backwards on the index),
 * put back in change-time order, the order processors expect.
 */
export async function latestBusinessEvents(db: pg.Pool, workspaceId: string, node: Omit<BusinessEventSourceNode, 'nodeId'>, limit: number): Promise<FlowRecord[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM ${EVENTS_WITH_CHANGES} WHERE e.workspace_id = $1::uuid AND e.event_type = $2 ORDER BY e.changed_at DESC, e.id DESC LIMIT $3`,
    [workspaceId, node.eventType, limit],
  );
  return rows.reverse().map((row) => businessEventRecord(toStored(row), node.object));
}

/** The Run dialog's facts about the event types: first and last change time (all time) and the events in the scope. */
export interface BusinessEventsSpan {
  earliest: Date | null;
  latest: Date | null;
  /** Events of the types with change time in the range (all of them without bounds): an exact count. */
  events: number;
}

/**
 * One statement: the first and last change time of the types, and the count with change time in `range`
 * (its bounds in the WHERE, so a range scan of the `(workspace_id, event_type, changed_at, id)` index).
 */
export async function businessEventsSpan(db: pg.Pool, workspaceId: string, types: readonly string[], range: TimeRange): Promise<BusinessEventsSpan> {
  if (!types.length) return { earliest: null, latest: null, events: 0 };
  const values: unknown[] = [workspaceId, [...types]];
  const param = (value: unknown) => `$${values.push(value)}`;
  const ofTypes = 'FROM business_events e WHERE e.workspace_id = $1::uuid AND e.event_type = ANY($2::text[])';
  const inRange = rangeConditions(range, param).map((c) => ` AND ${c}`).join('');
  const { rows } = await db.query<{ earliest: Date | null; latest: Date | null; events: string }>(
    `SELECT (SELECT min(e.changed_at) ${ofTypes}) AS earliest, (SELECT max(e.changed_at) ${ofTypes}) AS latest, (SELECT count(*) ${ofTypes}${inRange}) AS events`,
    values,
  );
  return { earliest: rows[0]?.earliest ?? null, latest: rows[0]?.latest ?? null, events: Number(rows[0]?.events ?? 0) };
}
