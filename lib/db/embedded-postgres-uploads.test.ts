import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { POST as ingest } from '@/app/api/v1/event-stores/[id]/events/route';
import { BENCH_DEFINITION, benchNdjson, benchRecord } from '@/lib/bench/generate-events';
import { serveRoute, type RouteHandler, type ServedRoute } from '@/lib/bench/serve-route';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { closePool, getPool } from '@/lib/db/pool';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import type { Prisma } from '@/lib/generated/prisma/client';
import { makeApiKey, makeStore, makeUser, makeWorkspace, unique } from '@/lib/testing/factories';

// The load that made the PGlite socket server fail whole uploads ("bind message supplies 4 parameters, but
// prepared statement "" requires 3"): parallel multi-megabyte uploads while /api/health is polled, on the
// embedded server itself (its own, in a temporary directory, whatever DATABASE_URL says).
const UPLOADS = 8;
const EVENTS_PER_UPLOAD = 12_500; // about 5 MB of NDJSON each (bench events are about 400 bytes)

let server: EmbeddedPostgres;
let ingestRoute: ServedRoute;
let healthRoute: ServedRoute;
let storeId: string;
let key: string;

beforeAll(async () => {
  server = await startEmbeddedPostgres();
  process.env.DATABASE_URL = server.url; // before the first use of the pools, which read it once
  await prepareDatabase(server.url);
  const workspace = await makeWorkspace();
  const owner = await makeUser([{ workspaceId: workspace.id, role: 'owner' }]);
  key = (await makeApiKey(workspace, owner, ['events:write'])).key;
  const definition = await getPrisma().eventDefinition.create({
    data: {
      workspaceId: workspace.id,
      name: unique('usage'),
      fields: BENCH_DEFINITION.fields as unknown as Prisma.InputJsonValue,
      eventIdField: BENCH_DEFINITION.eventIdField,
      eventTimeField: BENCH_DEFINITION.eventTimeField,
    },
  });
  storeId = (await makeStore(workspace.id, definition.id)).id;
  ingestRoute = await serveRoute(ingest as RouteHandler, /^\/api\/v1\/event-stores\/(?<id>[^/]+)\/events$/);
  healthRoute = await serveRoute(health as RouteHandler, /^\/api\/health$/);
});

afterAll(async () => {
  await ingestRoute?.close();
  await healthRoute?.close();
  await disconnectPrisma();
  await closePool();
  await server?.stop();
});

describe('the embedded PostgreSQL under parallel uploads', () => {
  it(`${UPLOADS} parallel 5 MB NDJSON uploads with /api/health polled: every event stored exactly once, no 500`, async () => {
    const bodies = Array.from({ length: UPLOADS }, (_, u) => benchNdjson(u * EVENTS_PER_UPLOAD, EVENTS_PER_UPLOAD));
    expect(Math.min(...bodies.map((b) => Buffer.byteLength(b)))).toBeGreaterThan(4.5 * 1024 * 1024);

    const healthStatuses: number[] = [];
    let uploading = true;
    const polling = (async () => {
      while (uploading) {
        const response = await fetch(`${healthRoute.origin}/api/health`);
        healthStatuses.push(response.status);
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const response = await fetch(`${ingestRoute.origin}/api/v1/event-stores/${storeId}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
          body,
        });
        return { status: response.status, body: (await response.json()) as { accepted?: number; rejected?: number } };
      }),
    ).finally(() => (uploading = false));
    await polling;

    expect(answers.map((a) => a.status)).toEqual(Array(UPLOADS).fill(200));
    expect(answers.map((a) => [a.body.accepted, a.body.rejected])).toEqual(Array(UPLOADS).fill([EVENTS_PER_UPLOAD, 0]));
    expect(healthStatuses.length).toBeGreaterThan(UPLOADS);
    expect(new Set(healthStatuses)).toEqual(new Set([200]));

    const ids = Array.from({ length: UPLOADS * EVENTS_PER_UPLOAD }, (_, i) => benchRecord(i).id as string);
    const { rows } = await getPool().query<{ total: number; expected: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE event_id = ANY($2::text[]))::int AS expected
         FROM events WHERE store_id = $1`,
      [storeId, ids],
    );
    // The primary key (store_id, event_id) makes each stored event unique; all of them are the ones sent.
    expect(rows[0]).toEqual({ total: UPLOADS * EVENTS_PER_UPLOAD, expected: UPLOADS * EVENTS_PER_UPLOAD });
  });
});
