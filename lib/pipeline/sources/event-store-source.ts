import pg from 'pg';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import { snapshotPages } from '@/lib/pipeline/sources/snapshot-pages';
import type { SourceBatch } from '@/lib/pipeline/sources/source-batch';

/** An Event Store source node and the store it reads. */
export interface StoreSourceNode {
  nodeId: string;
  storeId: string;
}

/** Event time bounds of a frame: [from, to). Absent for all time. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

export interface EventStoreSourceOptions {
  /** Events per page; 5,000 by default (see the replay bench). */
  pageSize?: number;
  /** Called after each page is read, before it is handed on (tests write events between pages here). */
  afterPage?: (page: number) => Promise<void>;
}

export const EVENT_PAGE_SIZE = 5_000;

/**
 * Where a page ends; the next starts strictly after it in (event_time, event_id, store_id) order. The time is
 * the text PostgreSQL sent (read back by the same session, so exact), or a Date.
 */
interface PageCursor {
  time: Date | string;
  id: string;
  storeId: string;
}

interface PageRow {
  store_id: string;
  event_id: string;
  /** As PostgreSQL's text: only the last row's is used (the cursor), so no Date is made per row. */
  event_time: string;
  payload: FlowRecord;
}

/**
 * Every Event Store source of a run, read in ONE keyset-paged scan over the stores' events in
 * (event_time, event_id) order, each event's payload handed to every source node that reads its store.
 *
 * **A run reads its scope as of its start.** The scan runs in one `REPEATABLE READ READ ONLY` transaction on
 * a client of its own (snapshotPages): its snapshot is taken by the first page, so events ingested (or
 * replaced, or deleted) while the run goes are all OUT of it, whatever page the scan has reached; the next
 * run sees them.
 *
 * Each page seeks the `(store_id, event_time, event_id)` index per store (never OFFSET, so the last page costs
 * what the first does); several stores are merged by the server (one `UNION ALL` branch per store, each an
 * ordered index scan, merged by a Merge Append). The next page is fetched while the current one is
 * processed, so reading overlaps the work; at most two pages are held at once.
 */
export async function* eventStoreSource(pool: pg.Pool, nodes: readonly StoreSourceNode[], range: TimeRange, options: EventStoreSourceOptions = {}): AsyncGenerator<SourceBatch> {
  const nodesOfStore = new Map<string, string[]>();
  for (const { nodeId, storeId } of nodes) (nodesOfStore.get(storeId) ?? nodesOfStore.set(storeId, []).get(storeId)!).push(nodeId);
  const storeIds = [...nodesOfStore.keys()].sort();
  if (!storeIds.length) return;
  const pageSize = options.pageSize ?? EVENT_PAGE_SIZE;
  const after = (last: PageRow | null) => last && { time: last.event_time, id: last.event_id, storeId: last.store_id };
  for await (const rows of snapshotPages<PageRow>(pool, (client, last) => readPage(client, storeIds, range, after(last), pageSize), pageSize, options.afterPage)) {
    yield toBatch(rows, nodesOfStore);
  }
}

function toBatch(rows: PageRow[], nodesOfStore: ReadonlyMap<string, string[]>): SourceBatch {
  const records = new Map<string, FlowRecord[]>();
  for (const nodeIds of nodesOfStore.values()) for (const id of nodeIds) records.set(id, []);
  if (nodesOfStore.size === 1) {
    const [nodeIds] = nodesOfStore.values();
    const payloads = rows.map((r) => r.payload);
    nodeIds!.forEach((id) => records.set(id, payloads));
  } else {
    for (const row of rows) for (const id of nodesOfStore.get(row.store_id)!) records.get(id)!.push(row.payload);
  }
  return { records, read: rows.length };
}

/**
 * One page. Per store one branch `(event_time, event_id) > cursor` (or `>=` for stores after the cursor's
 * store: the same time and id in a later store comes after the cursor in the merged order), each an ordered
 * index range scan with its own LIMIT; the outer ORDER BY … LIMIT merges them.
 */
export function pageQuery(storeIds: readonly string[], range: TimeRange, cursor: PageCursor | null, limit: number): { text: string; values: unknown[] } {
  const values: unknown[] = [limit];
  const param = (value: unknown) => `$${values.push(value)}`;
  const bounds: string[] = [];
  if (range.from) bounds.push(`event_time >= ${param(range.from)}::timestamptz`);
  if (range.to) bounds.push(`event_time < ${param(range.to)}::timestamptz`);
  const at = cursor && { time: param(cursor.time), id: param(cursor.id) };
  const branch = (storeId: string) => {
    const conditions = [`store_id = ${param(storeId)}::uuid`, ...bounds];
    if (cursor && at) conditions.push(`(event_time, event_id) ${storeId > cursor.storeId ? '>=' : '>'} (${at.time}::timestamptz, ${at.id}::text)`);
    return `SELECT store_id, event_id, event_time, payload FROM events WHERE ${conditions.join(' AND ')} ORDER BY event_time, event_id LIMIT $1`;
  };
  if (storeIds.length === 1) return { text: branch(storeIds[0]!), values };
  const branches = storeIds.map((id) => `(${branch(id)})`).join(' UNION ALL ');
  return { text: `SELECT * FROM (${branches}) AS merged ORDER BY event_time, event_id, store_id LIMIT $1`, values };
}

async function readPage(client: pg.ClientBase, storeIds: readonly string[], range: TimeRange, cursor: PageCursor | null, limit: number): Promise<PageRow[]> {
  return (await client.query<PageRow>({ ...pageQuery(storeIds, range, cursor, limit), types: TIMES_AS_TEXT })).rows;
}

/** The default parsers, except timestamptz, which stays text. */
const TIMES_AS_TEXT = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMPTZ ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
