import type pg from 'pg';
import { filterIndexCondition } from '@/lib/event-store/filter-indexes';

export interface EventRow {
  eventId: string;
  eventTime: Date;
  ingestedAt: Date;
  payload: Record<string, unknown>;
}

/** Where a page ends: the next page starts strictly after (or before, descending) this event. */
export interface Cursor {
  time: Date;
  id: string;
}

export interface ScanQuery {
  /** Inclusive lower bound of event time. */
  from?: Date;
  /** Exclusive upper bound of event time. */
  to?: Date;
  /** Exact matches on payload fields, e.g. { customerId: 'ACME-001', units: 3 }. */
  where?: Record<string, string | number | boolean>;
  after?: Cursor;
  direction?: 'asc' | 'desc';
  limit: number;
}

/** Rows a filtered page reads in time order before it asks the payload index instead. */
export const FILTER_WINDOW = 2_000;

/**
 * One keyset page of a store's events in time order (then id). Seeks on the (store_id, event_time,
 * event_id) index, so page 10,000 costs what page 1 costs; never OFFSET. Fetches one extra row to know
 * whether a next page exists.
 *
 * With a payload filter it reads at most FILTER_WINDOW events in time order first (enough when the filter
 * matches often); if fewer than a page of those match, it takes all the matches and sorts them: from a
 * field's filter index when the definition marks the field indexed (lib/event-store/filter-indexes.ts), so
 * a filter that matches rarely or never does not read the whole store, and by reading the store's events
 * otherwise (a plain `ORDER BY … LIMIT` plan would walk the time index until it found a page, i.e. to the end).
 */
export async function scanEvents(db: pg.Pool | pg.PoolClient, storeId: string, query: ScanQuery): Promise<{ rows: EventRow[]; next: Cursor | null }> {
  const desc = query.direction === 'desc';
  const params: unknown[] = [storeId];
  const conditions = ['store_id = $1::uuid'];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.from) conditions.push(`event_time >= ${param(query.from)}::timestamptz`);
  if (query.to) conditions.push(`event_time < ${param(query.to)}::timestamptz`);
  if (query.after) {
    conditions.push(`(event_time, event_id) ${desc ? '<' : '>'} (${param(query.after.time)}::timestamptz, ${param(query.after.id)}::text)`);
  }
  const order = desc ? 'ORDER BY event_time DESC, event_id DESC' : 'ORDER BY event_time ASC, event_id ASC';
  const columns = 'event_id, event_time, ingested_at, payload';
  const limit = param(query.limit + 1);
  let sql = `SELECT ${columns} FROM events WHERE ${conditions.join(' AND ')} ${order} LIMIT ${limit}`;
  let rows: RawRow[];
  if (query.where && Object.keys(query.where).length) {
    // The whole filter, exact; plus each field's equality as its filter index (filter-indexes.ts) reads it.
    const filter = [`payload @> ${param(JSON.stringify(query.where))}::jsonb`, ...Object.entries(query.where).map(([field, value]) => filterIndexCondition(field, param(JSON.stringify(value))))].join(' AND ');
    sql = `SELECT ${columns} FROM (SELECT ${columns} FROM events WHERE ${conditions.join(' AND ')} ${order} LIMIT $${params.length + 1}) AS w
            WHERE ${filter} ${order} LIMIT ${limit}`;
    rows = (await db.query<RawRow>(sql, [...params, FILTER_WINDOW])).rows;
    if (rows.length <= query.limit) {
      // MATERIALIZED keeps the planner from pushing the LIMIT down into a walk of the time index.
      sql = `WITH matches AS MATERIALIZED (SELECT ${columns} FROM events WHERE ${[...conditions, filter].join(' AND ')})
             SELECT ${columns} FROM matches ${order} LIMIT ${limit}`;
      rows = (await db.query<RawRow>(sql, params)).rows;
    }
  } else {
    rows = (await db.query<RawRow>(sql, params)).rows;
  }
  const page = rows.slice(0, query.limit).map((r) => ({ eventId: r.event_id, eventTime: r.event_time, ingestedAt: r.ingested_at, payload: r.payload }));
  const last = page.at(-1);
  return { rows: page, next: rows.length > query.limit && last ? { time: last.eventTime, id: last.eventId } : null };
}

interface RawRow {
  event_id: string;
  event_time: Date;
  ingested_at: Date;
  payload: Record<string, unknown>;
}

const cursorOf = (row: EventRow): Cursor => ({ time: row.eventTime, id: row.eventId });

/**
 * A page for a reader who moves both ways. With `before` (the first row of the page being left) it walks
 * back: the same keyset scan in the other direction, reversed. `previous` is the cursor to pass as
 * `before` for the page ahead of this one (null on the first page), `next` as `after` for the one behind.
 */
export async function browseEvents(
  db: pg.Pool | pg.PoolClient,
  storeId: string,
  query: ScanQuery & { before?: Cursor },
): Promise<{ rows: EventRow[]; next: Cursor | null; previous: Cursor | null }> {
  const { before, ...forward } = query;
  if (!before) {
    const page = await scanEvents(db, storeId, forward);
    const first = page.rows[0];
    return { rows: page.rows, next: page.next, previous: forward.after && first ? cursorOf(first) : null };
  }
  const back = await scanEvents(db, storeId, { ...forward, after: before, direction: forward.direction === 'desc' ? 'asc' : 'desc' });
  const rows = back.rows.reverse();
  const first = rows[0];
  const last = rows.at(-1);
  return { rows, next: last ? cursorOf(last) : null, previous: back.next && first ? cursorOf(first) : null };
}

/** One event by id, or null. */
export async function getEvent(db: pg.Pool, storeId: string, eventId: string): Promise<EventRow | null> {
  const { rows } = await db.query(
    `SELECT event_id, event_time, ingested_at, payload FROM events WHERE store_id = $1::uuid AND event_id = $2`,
    [storeId, eventId],
  );
  const r = rows[0];
  return r ? { eventId: r.event_id, eventTime: r.event_time, ingestedAt: r.ingested_at, payload: r.payload } : null;
}

/** Cursor ⇄ URL text: "<ISO time>|<event id>". */
export const encodeCursor = (c: Cursor) => `${c.time.toISOString()}|${c.id}`;
export function decodeCursor(text: string | null | undefined): Cursor | undefined {
  if (!text) return undefined;
  const bar = text.indexOf('|');
  const time = new Date(text.slice(0, bar));
  return bar > 0 && !Number.isNaN(time.getTime()) ? { time, id: text.slice(bar + 1) } : undefined;
}
