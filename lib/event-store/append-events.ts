import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ValidEvent } from '@/lib/event-store/record-validation';

export type AppendMethod = 'copy' | 'unnest';

/**
 * The append method for the configured database: COPY where the server speaks it; PGlite's socket
 * server does not support COPY FROM STDIN (it drops the connection), so the embedded database uses unnest.
 */
export function defaultAppendMethod(): AppendMethod {
  return process.env.DATABASE_EMBEDDED === '1' ? 'unnest' : 'copy';
}

/**
 * Writes a batch of validated events to a store: set-based, idempotent, last write wins. A repeated
 * event id (in the store or within the batch) replaces the earlier event, so re-sending a batch never
 * duplicates. The batch commits whole or not at all. Returns how many rows were written, and how many of
 * those were new (the rest replaced an event already stored under the same id).
 */
export async function appendEvents(
  pool: pg.Pool,
  storeId: string,
  events: ValidEvent[],
  method: AppendMethod = defaultAppendMethod(),
): Promise<AppendResult> {
  const batch = lastWriteWins(events);
  if (batch.length === 0) return { written: 0, inserted: 0 };
  const client = await pool.connect();
  try {
    if (method === 'unnest') return await appendWithUnnest(client, storeId, batch);
    return await appendWithCopy(client, storeId, batch);
  } finally {
    client.release();
  }
}

export interface AppendResult {
  /** Rows written: the batch after repeated ids within it collapsed to their last event. */
  written: number;
  /** Of those, events whose id was not stored yet. */
  inserted: number;
}

/** Keeps the last event of each id: ON CONFLICT cannot touch one row twice in a statement. */
function lastWriteWins(events: ValidEvent[]): ValidEvent[] {
  const byId = new Map<string, ValidEvent>();
  for (const event of events) {
    byId.delete(event.eventId);
    byId.set(event.eventId, event);
  }
  return byId.size === events.length ? events : [...byId.values()];
}

const UPSERT = `
  ON CONFLICT (store_id, event_id) DO UPDATE
    SET event_time = EXCLUDED.event_time, payload = EXCLUDED.payload, ingested_at = EXCLUDED.ingested_at
  RETURNING (xmax = 0) AS inserted`;

/** Wraps an upsert so it answers one row of counts (xmax = 0 marks a row that was inserted, not updated). */
const counted = (upsert: string) => `
  WITH upserted AS (${upsert})
  SELECT count(*)::int AS written, count(*) FILTER (WHERE inserted)::int AS inserted FROM upserted`;

async function appendWithUnnest(client: pg.PoolClient, storeId: string, batch: ValidEvent[]): Promise<AppendResult> {
  const result = await client.query<AppendResult>(
    counted(`INSERT INTO events (store_id, event_id, event_time, payload, ingested_at)
     SELECT $1::uuid, id, t, p, now() FROM unnest($2::text[], $3::timestamptz[], $4::jsonb[]) AS b(id, t, p)
     ${UPSERT}`),
    [storeId, batch.map((e) => e.eventId), batch.map((e) => e.eventTime.toISOString()), batch.map((e) => JSON.stringify(e.payload))],
  );
  return result.rows[0]!;
}

// COPY into a session-local staging table without indexes, then one INSERT … SELECT with the upsert:
// COPY's speed for the transfer, set semantics for the merge.
async function appendWithCopy(client: pg.PoolClient, storeId: string, batch: ValidEvent[]): Promise<AppendResult> {
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS event_staging (event_id text, event_time timestamptz, payload jsonb) ON COMMIT DELETE ROWS`,
    );
    await pipeline(Readable.from(copyRows(batch)), client.query(copyFrom('COPY event_staging FROM STDIN')));
    const result = await client.query<AppendResult>(
      counted(`INSERT INTO events (store_id, event_id, event_time, payload, ingested_at)
       SELECT $1::uuid, event_id, event_time, payload, now() FROM event_staging ${UPSERT}`),
      [storeId],
    );
    await client.query('COMMIT');
    return result.rows[0]!;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** COPY text format (event_id, event_time, payload), in chunks of rows so the stream is neither one huge string nor a string per row. */
export function* copyRows(batch: ValidEvent[]): Generator<string> {
  const CHUNK = 500;
  for (let i = 0; i < batch.length; i += CHUNK) {
    let text = '';
    for (const event of batch.slice(i, i + CHUNK)) {
      text += `${copyEscape(event.eventId)}\t${event.eventTime.toISOString()}\t${copyEscape(JSON.stringify(event.payload))}\n`;
    }
    yield text;
  }
}

// COPY text format: backslash, tab, newline and carriage return must be escaped.
function copyEscape(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;
}
