import { createHash } from 'node:crypto';
import type pg from 'pg';
import { FIELD_NAME_PATTERN } from '@/lib/event-definitions/definition-schema';
import { getWorkPool } from '@/lib/db/pool';
import { logger } from '@/lib/logger';

/**
 * Filter indexes: one B-tree per payload field that some event definition marks `indexed`, on
 * `events (store_id, <the field's filter key>) WHERE payload ? 'field'` (filterKey), shared by every store
 * whose events have that field. They replace the GIN index over whole payloads, which indexed every value of every event (ids,
 * times, free text) and was 70 % of the cost of writing an event: a million rows took 51 s to insert with it,
 * 14 s without, 24 s with one filter index (PostgreSQL 15, 2 cores). A filter on a field without an index
 * still answers, exactly, by reading the store's events (scanEvents); the store page says so.
 *
 * The indexes are not in prisma/schema.prisma: which exist follows the definitions, so syncFilterIndexes
 * makes them (CREATE INDEX CONCURRENTLY: writes go on meanwhile) and drops those no definition wants any
 * more, in the background of every process that runs background work (startFilterIndexSync). The planner
 * uses an index only once it is valid, so a filter is exact whether its index is ready, building or absent.
 */

export type FilterIndexState = 'ready' | 'building' | 'missing';

const PREFIX = 'events_filter_';
/** pg_advisory_lock key of the one sync at a time (any process). */
const SYNC_LOCK = 'events-filter-indexes';
/** How often a process looks for definitions whose indexed fields changed. */
export const FILTER_INDEX_SYNC_MS = 3_000;

/**
 * The index of a field's filter: the name is a hash, so any field name fits PostgreSQL's 63 characters. The
 * hash covers the key's version: an index of an earlier key (`payload -> 'field'`, jsonb) has another name,
 * so the sync drops it and builds the current one.
 */
export function filterIndexName(field: string): string {
  return PREFIX + createHash('md5').update(`${KEY_VERSION}:${field}`).digest('hex').slice(0, 16);
}

const KEY_VERSION = 'text-c';

/**
 * What a filter index orders by, for a jsonb value `json` (a field of the payload, or a filter's value): a
 * number as its numeric text without trailing zeros (3, 3.0 and 3.00 all give '3', as jsonb equality says),
 * anything else as its text ('abc' for the string "abc", 'true' for true), in the "C" collation. Text in "C"
 * compares byte by byte: writing an event costs about half what a jsonb key cost (a million rows COPYed with
 * one filter index: about 3 s over no index instead of about 6 s; PostgreSQL 15, 2 cores), since each of the
 * ~20 comparisons an insert makes in the B-tree is a memcmp instead of a walk of two jsonb values.
 *
 * Values jsonb tells apart can share a key (the string "3" and the number 3; "true" and true): the index
 * finds both, and the exact condition that always goes with it (`payload @> {field: value}`) keeps the right
 * one. Values jsonb holds equal always share one, so the index never hides a match.
 */
function filterKey(json: string): string {
  return `(CASE WHEN jsonb_typeof(${json}) = 'number' THEN trim_scale((${json})::numeric)::text ELSE (${json}) #>> '{}' END) COLLATE "C"`;
}

/** The field as a SQL literal. Field names are checked by the definition rules; this refuses anything else. */
function fieldLiteral(field: string): string {
  if (!FIELD_NAME_PATTERN.test(field)) throw new Error(`not a field name: ${JSON.stringify(field)}`);
  return `'${field}'`;
}

/**
 * The conditions of `payload.field = value` that its filter index answers (the index's own expression and
 * predicate, with the field as a literal so the planner matches them); `valueParam` is a parameter holding
 * the value as JSON text. They select every event whose field equals the value, and maybe a few more (see
 * filterKey): callers AND them with the exact `payload @> {field: value}`.
 */
export function filterIndexCondition(field: string, valueParam: string): string {
  const key = fieldLiteral(field);
  return `payload ? ${key} AND ${filterKey(`payload -> ${key}`)} = ${filterKey(`${valueParam}::jsonb`)}`;
}

/** The payload fields some definition marks indexed. */
export async function wantedFilterFields(db: pg.Pool | pg.PoolClient): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT DISTINCT f->>'name' AS name FROM event_definitions d, jsonb_array_elements(d.fields) f
      WHERE jsonb_typeof(d.fields) = 'array' AND f->>'indexed' = 'true' ORDER BY 1`,
  );
  return rows.map((r) => r.name).filter((name) => FIELD_NAME_PATTERN.test(name));
}

interface ExistingIndex {
  name: string;
  valid: boolean;
  /** The field it serves, from its comment (null: not one of ours as far as we can tell). */
  field: string | null;
}

async function existingFilterIndexes(db: pg.Pool | pg.PoolClient): Promise<ExistingIndex[]> {
  const { rows } = await db.query<{ name: string; valid: boolean; comment: string | null }>(
    `SELECT c.relname AS name, i.indisvalid AS valid, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'events'::regclass AND c.relname LIKE '${PREFIX}%'`,
  );
  return rows.map((r) => ({ name: r.name, valid: r.valid, field: r.comment?.match(/^filter index of payload field (\S+)$/)?.[1] ?? null }));
}

/** The state of each named field's filter index: ready (the planner uses it), building, or missing. */
export async function filterIndexStates(db: pg.Pool | pg.PoolClient, fields: readonly string[]): Promise<Map<string, FilterIndexState>> {
  const byName = new Map((await existingFilterIndexes(db)).map((i) => [i.name, i]));
  return new Map(fields.map((field) => {
    const index = byName.get(filterIndexName(field));
    return [field, index ? (index.valid ? 'ready' : 'building') : 'missing'];
  }));
}

export interface FilterIndexSync {
  created: string[];
  dropped: string[];
  /** Another process was syncing: this call did nothing. */
  busy: boolean;
}

/**
 * Makes the filter indexes match the definitions: builds the missing ones, drops those no definition marks
 * indexed any more and any left invalid by a build that died (then builds it again). One process at a time
 * (a session advisory lock; a caller that finds it taken returns `busy`, or with `waitForLock` waits for it). Each statement is CONCURRENTLY, so
 * ingest and runs write on while an index is built; a build waits for transactions older than it (a run's
 * snapshot) before it finishes.
 */
export async function syncFilterIndexes(pool: pg.Pool, options: { waitForLock?: boolean } = {}): Promise<FilterIndexSync> {
  const outcome = await withFilterIndexLock(pool, { wait: options.waitForLock ?? false }, (client) => syncLocked(client));
  return outcome === 'busy' ? { created: [], dropped: [], busy: true } : outcome;
}

/**
 * Runs `work` on a client holding the sync's session advisory lock (the lock every index build takes);
 * 'busy' when another holds it, unless `wait`. Waiting means asking again, never blocking in
 * pg_advisory_lock: a holder's CREATE INDEX CONCURRENTLY waits for every transaction open when it began, a
 * blocked lock request included, which waits for the holder, and PostgreSQL ends that as a deadlock. Anything
 * else that must not run beside a build (ANALYZE events, which a build waits for while it waits for the
 * build's lock on the table) belongs in here too.
 */
export async function withFilterIndexLock<T>(pool: pg.Pool, options: { wait: boolean }, work: (client: pg.PoolClient) => Promise<T>): Promise<T | 'busy'> {
  const client = await pool.connect();
  const take = async () => (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`, [SYNC_LOCK])).rows[0]!.ok;
  let locked = false;
  try {
    locked = await take();
    while (!locked && options.wait) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      locked = await take();
    }
    if (!locked) return 'busy';
    return await work(client);
  } finally {
    if (locked) await client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [SYNC_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** VACUUM and/or ANALYZE of `events`, never beside an index build (see withFilterIndexLock): the bench, tests. */
export async function maintainEvents(pool: pg.Pool, command: 'ANALYZE' | 'VACUUM' | 'VACUUM ANALYZE'): Promise<void> {
  await withFilterIndexLock(pool, { wait: true }, (client) => client.query(`${command} events`));
}

async function syncLocked(client: pg.PoolClient): Promise<FilterIndexSync> {
  const result: FilterIndexSync = { created: [], dropped: [], busy: false };
  await client.query(`SET statement_timeout = 0`);
  try {
    const wanted = new Set(await wantedFilterFields(client));
    const byName = new Map([...wanted].map((field) => [filterIndexName(field), field]));
    // An index whose comment is missing (its build died before the comment) is known by its name.
    const existing = (await existingFilterIndexes(client)).map((i) => ({ ...i, field: i.field ?? byName.get(i.name) ?? null }));
    const ready = new Set<string>();
    for (const index of existing) {
      if (index.valid && index.field !== null && wanted.has(index.field) && filterIndexName(index.field) === index.name) {
        ready.add(index.field);
        continue;
      }
      await client.query(`DROP INDEX CONCURRENTLY IF EXISTS "${index.name}"`);
      result.dropped.push(index.field ?? index.name);
    }
    for (const field of wanted) {
      if (ready.has(field)) continue;
      const name = filterIndexName(field);
      const key = fieldLiteral(field);
      await client.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ON events (store_id, (${filterKey(`payload -> ${key}`)})) WHERE payload ? ${key}`);
      await client.query(`COMMENT ON INDEX "${name}" IS 'filter index of payload field ${field}'`);
      result.created.push(field);
    }
    if (result.created.length || result.dropped.length) logger.info(result, 'filter indexes synced with the event definitions');
    return result;
  } finally {
    await client.query(`RESET statement_timeout`).catch(() => undefined);
  }
}

export interface FilterIndexSyncer {
  /** A sync now (a tick while one runs waits for it). */
  tick(): Promise<FilterIndexSync>;
  stop(): Promise<void>;
}

/** Syncs the filter indexes now and every FILTER_INDEX_SYNC_MS, in every process that runs background work. */
export function startFilterIndexSync(options: { pool?: pg.Pool; intervalMs?: number } = {}): FilterIndexSyncer {
  const pool = options.pool ?? getWorkPool();
  let running: Promise<FilterIndexSync> | null = null;
  let stopped = false;
  const tick = async (): Promise<FilterIndexSync> => {
    while (running) await running.catch(() => undefined);
    running = syncFilterIndexes(pool);
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const onTimer = () => {
    if (stopped || running) return;
    tick().catch((error: unknown) => logger.error({ err: error }, 'syncing the filter indexes failed; the next tick tries again'));
  };
  const timer = setInterval(onTimer, options.intervalMs ?? FILTER_INDEX_SYNC_MS);
  timer.unref();
  onTimer();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
