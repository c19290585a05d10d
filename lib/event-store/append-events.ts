import type pg from 'pg';
import { copyIn, copyInUnlessConflict, copyText } from '@/lib/db/copy-in';
import { inTransaction, isPool, type Db } from '@/lib/db/transaction';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { fenceWrite } from '@/lib/event-store/store-fence';
import type { Lease } from '@/lib/event-store/store-status';

/**
 * How a batch reaches the merge: `copy` streams it into a staging table (the fastest transfer, three
 * round trips); `unnest` sends it as three array parameters of one statement (no staging table, one
 * round trip; slower per event because of its client-side escaping, fine for small batches).
 */
export type AppendMethod = 'copy' | 'unnest';

export interface AppendOptions {
  method?: AppendMethod;
  /**
   * The lease the caller holds (`withStore`): the batch commits only if it still holds, checked in the
   * batch's transaction; otherwise LEASE_LOST and nothing is written. Without one (REST and upload
   * ingest) the batch is refused while a backfill is deleting from the store.
   */
  lease?: Lease;
  /**
   * The caller expects the batch's ids to be new to the store (a replay into new territory, a first upload):
   * try a plain COPY into `events` first, which costs about half of the staging upsert. If any id is stored
   * already (or a concurrent writer holds it), that attempt is rolled back to its savepoint and the batch
   * goes through the staging upsert as usual: the outcome is the same either way, only the speed differs.
   * Only with the `copy` method.
   */
  expectNew?: boolean;
}

/**
 * Writes a batch of validated events to a store: set-based, idempotent, last write wins. A repeated
 * event id (in the store or within the batch) replaces the earlier event, so re-sending a batch never
 * duplicates. The batch commits whole or not at all. Returns how many rows were written, and how many of
 * those were new (the rest replaced an event already stored under the same id).
 *
 * `db` is the pool (the batch is its own transaction) or a client inside the caller's transaction (the
 * batch joins it under a savepoint and commits with it: a run's batch, its checkpoint and its audit row
 * commit together). Rows are merged in event_id order, so two writers whose batches overlap in
 * different orders take their row locks in one order and cannot deadlock.
 */
export async function appendEvents(db: Db, storeId: string, events: ValidEvent[], options: AppendOptions = {}): Promise<AppendResult> {
  const batch = lastWriteWins(events);
  if (batch.length === 0) return { written: 0, inserted: 0 };
  const method = options.method ?? 'copy';
  return inTransaction(db, async (client) => {
    await fenceWrite(client, storeId, 'append', options.lease);
    if (method === 'unnest') return appendWithUnnest(client, storeId, batch);
    if (options.expectNew) {
      const direct = await copyNewEvents(client, storeId, batch);
      if (direct) return direct;
    }
    return appendWithCopy(client, storeId, batch, { joined: !isPool(db) });
  });
}

export interface AppendResult {
  /** Rows written: the batch after repeated ids within it collapsed to their last event. */
  written: number;
  /** Of those, events whose id was not stored yet. */
  inserted: number;
  /** True when the batch went in by the plain COPY of `expectNew` (every id was new). */
  copied?: boolean;
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

async function appendWithUnnest(client: pg.ClientBase, storeId: string, batch: ValidEvent[]): Promise<AppendResult> {
  const result = await client.query<AppendResult>(
    counted(`INSERT INTO events (store_id, event_id, event_time, payload, ingested_at)
     SELECT $1::uuid, id, t, p, now() FROM unnest($2::text[], $3::timestamptz[], $4::jsonb[]) AS b(id, t, p)
     ORDER BY id ${UPSERT}`),
    [storeId, batch.map((e) => e.eventId), batch.map((e) => e.eventTime.toISOString()), batch.map((e) => JSON.stringify(e.payload))],
  );
  return result.rows[0]!;
}

// COPY into a session-local staging table without indexes, then one INSERT … SELECT with the upsert:
// COPY's speed for the transfer, set semantics for the merge. Runs inside the batch's transaction.
async function appendWithCopy(client: pg.ClientBase, storeId: string, batch: ValidEvent[], { joined }: { joined: boolean }): Promise<AppendResult> {
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS event_staging (event_id text, event_time timestamptz, payload jsonb) ON COMMIT DELETE ROWS`,
  );
  await copyIn(client, 'COPY event_staging FROM STDIN', copyRows(batch));
  const result = await client.query<AppendResult>(
    counted(`INSERT INTO events (store_id, event_id, event_time, payload, ingested_at)
     SELECT $1::uuid, event_id, event_time, payload, now() FROM event_staging ORDER BY event_id ${UPSERT}`),
    [storeId],
  );
  // Staging empties at commit; in a caller's transaction the next batch may come first.
  if (joined) await client.query('TRUNCATE event_staging');
  return result.rows[0]!;
}

/**
 * `expectNew`'s attempt: the batch COPYed straight into `events` under a savepoint, in event_id order (as the
 * upsert takes its row locks, so two writers cannot deadlock on each other's new ids). A unique violation (an
 * id stored already, or committed meanwhile by another writer) or a deadlock undoes the attempt, and null
 * sends the batch to the upsert; the statement-level stats triggers fire for COPY as for INSERT.
 */
async function copyNewEvents(client: pg.ClientBase, storeId: string, batch: ValidEvent[]): Promise<AppendResult | null> {
  const sorted = [...batch].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  const copied = await copyInUnlessConflict(client, 'append_new_events', 'COPY events (store_id, event_id, event_time, payload) FROM STDIN', copyRows(sorted, `${storeId}\t`));
  if (!copied) return null;
  return { written: batch.length, inserted: batch.length, copied: true };
}

/** COPY text rows (event_id, event_time, payload), each after `prefix`. */
export function* copyRows(batch: ValidEvent[], prefix = ''): Generator<string> {
  for (const event of batch) yield `${prefix}${copyText(event.eventId)}\t${event.eventTime.toISOString()}\t${copyText(JSON.stringify(event.payload))}\n`;
}

