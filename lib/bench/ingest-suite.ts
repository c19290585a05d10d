import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createApiKey } from '@/lib/api-keys/manage-api-keys';
import { createBenchWorkspace } from '@/lib/bench/bench-workspace';
import { BENCH_END, BENCH_START, benchEvents, benchNdjson } from '@/lib/bench/generate-events';
import { post, serveRoute, type RouteHandler } from '@/lib/bench/serve-route';
import type { BenchContext, Figure, Suite, Target } from '@/lib/bench/types';
import { copyRows } from '@/lib/event-store/append-events';
import { createAppender } from '@/lib/event-store/event-appender';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { scanEvents, type Cursor } from '@/lib/event-store/scan-events';
import type { Prisma } from '@/lib/generated/prisma/client';
import { maintainEvents } from '@/lib/event-store/filter-indexes';
import { inTransaction } from '@/lib/db/transaction';

export interface IngestSizes {
  /** Events for append, copy-limit and scan. */
  events: number;
  /** Events per appendEvents call. */
  appendBatch: number;
  createManyEvents: number;
  /** Concurrent NDJSON requests, each of restLinesPerRequest events. */
  restRequests: number;
  restLinesPerRequest: number;
  scanPage: number;
}

export interface IngestOptions extends Partial<IngestSizes> {
  /** The route file whose POST takes NDJSON (tests may point elsewhere). */
  routeFile?: string;
  /** Called after the measurements, before the bench's rows are deleted (tests look at what landed). */
  beforeCleanup?: (fixture: IngestFixture) => Promise<void>;
}

// appendBatch: 10,000. With 1,000,000 events on the idle 2-core machine, 10,000 gave 73-81k events/s and
// 5,000 gave 72-76k (twice the commits, each an fsync); 2,500 and 20,000 were slower still. Its staging
// table (about 6 MB of jsonb) still fits temp_buffers (8 MB by default).
export const INGEST_SIZES: IngestSizes = {
  events: 1_000_000,
  appendBatch: 10_000,
  createManyEvents: 20_000,
  restRequests: 4,
  restLinesPerRequest: 50_000,
  scanPage: 10_000,
};

export const INGEST_ROUTE_FILE = 'app/api/v1/event-stores/[id]/events/route.ts';

/** The bench's own workspace: one definition, a store per write path, an `events:write` key. */
export interface IngestFixture {
  workspaceId: string;
  suffix: string;
  stores: { append: string; createMany: string; rest: string };
  apiKey: string;
}

const UNIT = 'events/s';

/**
 * Suite `ingest`: how fast events get into the data plane and back out. Figures (events/s): append,
 * copy-limit (raw COPY into an identical table: the limit append is held against), prisma-createMany
 * (the naive baseline), rest-ndjson (the REST route over HTTP) and scan (keyset pages over the full range).
 */
export function ingestSuite(options: IngestOptions = {}): Suite {
  const sizes: IngestSizes = { ...INGEST_SIZES, ...options };
  return {
    name: 'ingest',
    description: `${sizes.events.toLocaleString('en')} events of about 400 bytes in, and read back`,
    async run(context) {
      const fixture = await createFixture(context);
      try {
        const figures = await measure(context, fixture, sizes, options.routeFile ?? INGEST_ROUTE_FILE);
        await options.beforeCleanup?.(fixture);
        return figures;
      } finally {
        // Deleting the workspace cascades to its definition, stores, events and key.
        await context.pool.query('DELETE FROM workspaces WHERE id = $1', [fixture.workspaceId]);
      }
    },
  };
}

async function measure(context: BenchContext, fixture: IngestFixture, sizes: IngestSizes, routeFile: string): Promise<Figure[]> {
  const { log } = context;
  log(`ingest: generating ${sizes.events.toLocaleString('en')} events`);
  const events = benchEvents(0, sizes.events);

  const copyLimit = await measureCopyLimit(context, fixture, events);
  const append = await timed(context, 'append', events.length, async () => {
    const appender = createAppender(context.pool, fixture.stores.append, { batchSize: sizes.appendBatch });
    for (const event of events) await appender.add(event);
    await appender.finish();
  });
  const scan = await measureScan(context, fixture, sizes);
  const createMany = await measureCreateMany(context, fixture, events.slice(0, sizes.createManyEvents));
  const rest = await measureRest(context, fixture, sizes, routeFile);

  // Targets hold for PostgreSQL on the 2-core machine, the embedded one included (the same server).
  const target = (min: number, rule: string): Target => ({ min, rule });
  const appendMin = Math.max(40_000, Math.round(0.8 * (copyLimit.value ?? 0)));
  const appendRule = copyLimit.value === null ? 'at least 40,000' : '0.8x copy-limit, at least 40,000';
  return [
    { ...append, target: target(appendMin, appendRule) },
    copyLimit,
    createMany,
    { ...rest, ...(rest.value !== null && { target: target(25_000, 'at least 25,000') }) },
    { ...scan, target: target(100_000, 'at least 100,000') },
  ];
}

async function createFixture({ prisma }: BenchContext): Promise<IngestFixture> {
  const { workspace, definition, suffix } = await createBenchWorkspace(prisma, 'bench', 'Bench');
  try {
    const store = async (name: string) =>
      (await prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: definition.id, name } })).id;
    const { key } = await createApiKey(
      prisma,
      { workspaceId: workspace.id, workspaceName: workspace.name, role: null, actor: { type: 'api_key', id: 'bench', label: 'npm run bench' } },
      { name: 'bench', scopes: ['events:write'] },
    );
    return {
      workspaceId: workspace.id,
      suffix,
      stores: { append: await store('bench-append'), createMany: await store('bench-create-many'), rest: await store('bench-rest') },
      apiKey: key,
    };
  } catch (error) {
    await prisma.workspace.delete({ where: { id: workspace.id } }).catch(() => undefined);
    throw error;
  }
}

/** Raw COPY of the same rows into a table with the same columns, keys, index and foreign key as events. */
async function measureCopyLimit(context: BenchContext, fixture: IngestFixture, events: ValidEvent[]): Promise<Figure> {
  const { pool } = context;
  const table = `bench_copy_limit_${fixture.suffix}`;
  // A regular table, not a temporary one: temp tables skip the WAL and live in the small temp_buffers.
  await pool.query(`CREATE TABLE ${table} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
  try {
    // store_id comes from a default, so the COPY text is exactly what appendEvents streams.
    await pool.query(
      `ALTER TABLE ${table} ADD FOREIGN KEY (store_id) REFERENCES event_stores (id) ON DELETE CASCADE,
         ALTER COLUMN store_id SET DEFAULT '${fixture.stores.append}'::uuid`,
    );
    const client = await pool.connect();
    try {
      const figure = await timed(context, 'copy-limit', events.length, () =>
        pipeline(Readable.from(copyRows(events)), client.query(copyFrom(`COPY ${table} (event_id, event_time, payload) FROM STDIN`))),
      );
      await expectCount(client.query(`SELECT count(*)::int AS n FROM ${table}`), events.length, 'copy-limit');
      return figure;
    } finally {
      client.release();
    }
  } finally {
    await dropReferencingTable(pool, table);
  }
}

/**
 * Drops a table whose foreign key references event_stores, locking event_stores first: a store deleted
 * meanwhile (by a test, or another bench) holds event_stores and then cascades into this table, so a DROP
 * that took this table first and then waited for event_stores deadlocked.
 */
export async function dropReferencingTable(pool: pg.Pool, table: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('LOCK TABLE event_stores IN SHARE ROW EXCLUSIVE MODE');
    await client.query(`DROP TABLE IF EXISTS ${table}`);
  });
}

async function measureScan(context: BenchContext, fixture: IngestFixture, sizes: IngestSizes): Promise<Figure> {
  await maintainEvents(context.pool, 'ANALYZE');
  let read = 0;
  const figure = await timed(context, 'scan', sizes.events, async () => {
    let after: Cursor | undefined;
    do {
      const page = await scanEvents(context.pool, fixture.stores.append, { from: BENCH_START, to: BENCH_END, after, limit: sizes.scanPage });
      read += page.rows.length;
      after = page.next ?? undefined;
    } while (after);
  });
  if (read !== sizes.events) throw new Error(`scan read ${read} events, expected ${sizes.events}`);
  return figure;
}

async function measureCreateMany(context: BenchContext, fixture: IngestFixture, events: ValidEvent[]): Promise<Figure> {
  const data = events.map((e) => ({
    storeId: fixture.stores.createMany,
    eventId: e.eventId,
    eventTime: e.eventTime,
    payload: e.payload as Prisma.InputJsonValue,
  }));
  let count = 0;
  const figure = await timed(context, 'prisma-createMany', events.length, async () => {
    ({ count } = await context.prisma.event.createMany({ data }));
  });
  if (count !== events.length) throw new Error(`createMany wrote ${count} events, expected ${events.length}`);
  return figure;
}

/** NDJSON over real HTTP to the route's POST handler, served in this process; a few requests at once. */
async function measureRest(context: BenchContext, fixture: IngestFixture, sizes: IngestSizes, routeFile: string): Promise<Figure> {
  const handler = await loadRouteHandler(routeFile);
  if (!handler) return skipped('rest-ndjson', `awaits the REST ingest route: ${routeFile} does not export POST yet`);
  const bodies = Array.from({ length: sizes.restRequests }, (_, r) => Buffer.from(benchNdjson(r * sizes.restLinesPerRequest, sizes.restLinesPerRequest)));
  const total = sizes.restRequests * sizes.restLinesPerRequest;
  const server = await serveRoute(handler, /^\/api\/v1\/event-stores\/(?<id>[^/]+)\/events$/);
  try {
    const url = `${server.origin}/api/v1/event-stores/${fixture.stores.rest}/events`;
    const headers = { authorization: `Bearer ${fixture.apiKey}`, 'content-type': 'application/x-ndjson' };
    let accepted = 0;
    const figure = await timed(context, 'rest-ndjson', total, async () => {
      const answers = await Promise.all(bodies.map((body) => postNdjson(url, headers, body)));
      accepted = answers.reduce((sum, a) => sum + a.accepted, 0);
    });
    if (accepted !== total) throw new Error(`rest-ndjson: the route accepted ${accepted} of ${total} events`);
    return figure;
  } finally {
    await server.close();
  }
}

async function postNdjson(url: string, headers: Record<string, string>, body: Buffer): Promise<{ accepted: number }> {
  const { status, text } = await post(url, headers, body);
  if (status !== 200) throw new Error(`rest-ndjson: the route answered ${status}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { accepted: number; rejected: number; rejections: unknown[] };
  if (answer.rejected) throw new Error(`rest-ndjson: the route rejected ${answer.rejected} events, e.g. ${JSON.stringify(answer.rejections[0])}`);
  return answer;
}

/** The route file's POST, or null while the route does not exist. Needs BETTER_AUTH_SECRET and _URL set. */
export async function loadRouteHandler(routeFile: string): Promise<RouteHandler | null> {
  const file = path.resolve(process.cwd(), routeFile);
  if (!existsSync(file)) return null;
  const route = (await import(pathToFileURL(file).href)) as { POST?: RouteHandler };
  return typeof route.POST === 'function' ? route.POST : null;
}

async function expectCount(query: Promise<{ rows: { n: number }[] }>, expected: number, what: string): Promise<void> {
  const n = (await query).rows[0]?.n;
  if (n !== expected) throw new Error(`${what}: ${n} rows landed, expected ${expected}`);
}

/** Times `work` from a checkpoint (so one phase's dirty pages don't slow the next) and returns events/s. */
async function timed(context: BenchContext, name: string, count: number, work: () => Promise<unknown>): Promise<Figure> {
  // Needs superuser or pg_checkpoint; without it the phases simply share the background writer.
  await context.pool.query('CHECKPOINT').catch(() => undefined);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const value = Math.round(count / seconds);
  context.log(`ingest: ${name}: ${count.toLocaleString('en')} events in ${seconds.toFixed(1)} s = ${value.toLocaleString('en')} ${UNIT}`);
  return { suite: 'ingest', name, value, unit: UNIT };
}

function skipped(name: string, reason: string): Figure {
  return { suite: 'ingest', name, value: null, unit: UNIT, note: `skipped: ${reason}` };
}
