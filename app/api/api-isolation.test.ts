import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listDefinitions } from '@/app/api/v1/event-definitions/route';
import { GET as listEvents, POST as ingest } from '@/app/api/v1/event-stores/[id]/events/route';
import { GET as backfillTemplate } from '@/app/api/v1/event-stores/[id]/backfills/template/route';
import { GET as listBackfillsRoute, POST as uploadBackfill } from '@/app/api/v1/event-stores/[id]/backfills/route';
import { GET as getBackfillRoute } from '@/app/api/v1/backfills/[id]/route';
import { POST as confirmBackfillRoute } from '@/app/api/v1/backfills/[id]/confirm/route';
import { POST as undoBackfillRoute } from '@/app/api/v1/backfills/[id]/undo/route';
import { GET as deletedEventsRoute } from '@/app/api/v1/backfills/[id]/deleted-events.csv/route';
import { GET as unmatchedRoute } from '@/app/api/v1/backfills/[id]/unmatched.csv/route';
import { confirmBackfill } from '@/lib/backfills/confirm-backfill';
import { previewBackfill } from '@/lib/backfills/preview-backfill';
import { GET as getStore } from '@/app/api/v1/event-stores/[id]/route';
import { GET as storeActivity } from '@/app/api/v1/event-stores/[id]/activity/route';
import { GET as listStores, POST as createStore } from '@/app/api/v1/event-stores/route';
import * as unknownApi from '@/app/api/v1/[...path]/route';
import { GET as exportUsageRecords } from '@/app/api/v1/usage-records/export/route';
import { POST as ingestMeter } from '@/app/api/v1/meters/[id]/ingest/route';
import { POST as receiveObjectChanges } from '@/app/api/v1/object-changes/route';
import { POST as replayBusinessEventsRoute } from '@/app/api/v1/business-events/replay/route';
import { GET as listTriggersRoute, POST as createTriggerRoute } from '@/app/api/v1/triggers/route';
import { DELETE as deleteTriggerRoute, GET as getTriggerRoute, PATCH as patchTriggerRoute, PUT as putTriggerRoute } from '@/app/api/v1/triggers/[id]/route';
import { POST as activateTriggerRoute } from '@/app/api/v1/triggers/[id]/activate/route';
import { POST as deactivateTriggerRoute } from '@/app/api/v1/triggers/[id]/deactivate/route';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { POST as cancelRunRoute } from '@/app/api/v1/runs/[id]/cancel/route';
import { GET as runErrors } from '@/app/api/v1/runs/[id]/errors/route';
import { GET as getRun } from '@/app/api/v1/runs/[id]/route';
import { GET as listRunsRoute, POST as startRunRoute } from '@/app/api/v1/runs/route';
import { startRun } from '@/lib/runs/start-run';
import { stopRunQueue } from '@/lib/runs/queue';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';
import { API_SCOPE_NAMES } from '@/lib/api-keys/scopes';
import { revokeApiKey } from '@/lib/api-keys/manage-api-keys';
import { getPrisma } from '@/lib/db/prisma';
import { findFiles, routePathOf } from '@/lib/testing/discover';
import { makeApiKey, makeTenant, scopeOf, sessionCookie, unique } from '@/lib/testing/factories';

type Auth = { key?: string; cookie?: string; authorization?: string; origin?: string } | null;
type Tenant = Awaited<ReturnType<typeof makeTenant>>;

const request = (method: string, url: string, auth: Auth, body?: unknown) => {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (auth?.key) headers.set('authorization', `Bearer ${auth.key}`);
  if (auth?.authorization) headers.set('authorization', auth.authorization);
  if (auth?.cookie) headers.set('cookie', auth.cookie);
  if (auth?.origin) headers.set('origin', auth.origin);
  return new Request(`http://localhost${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
};
const params = <P>(p: P) => ({ params: Promise.resolve(p) });

/** Per tenant: a meter to run, one of its runs, and a started (live) HTTP-ingest meter. */
type RunFixtures = { meterId: string; runId: string; liveMeterId: string };
const runFixtures = new Map<string, RunFixtures>();
const fixturesOf = (tenant: Tenant) => runFixtures.get(tenant.workspace.id)!;
async function makeRunFixtures(tenant: Tenant): Promise<RunFixtures> {
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const { meter } = await makeCopyMeter(tenant);
  const { runId } = await startRun(scope, { meterId: meter.id, scope: { kind: 'all' }, dryRun: true, idempotencyKey: unique('key') });
  const live = await makeCopyMeter(tenant, { source: 'http' });
  await startRun(scope, { meterId: live.meter.id, scope: { kind: 'live' }, dryRun: true, idempotencyKey: unique('key') });
  return { meterId: meter.id, runId, liveMeterId: live.meter.id };
}
/** A queued dry run to cancel (each call cancels one, so every call gets its own). */
const queuedRun = async (tenant: Tenant) =>
  (await startRun(scopeOf(tenant.workspace, tenant.owner), { meterId: fixturesOf(tenant).meterId, scope: { kind: 'all' }, dryRun: true, idempotencyKey: unique('key') })).runId;

/** A previewed backfill of the tenant's store (each confirm takes one, so every call gets its own); confirmed when `completed`. */
async function backfillOf(tenant: Tenant, completed = false): Promise<string> {
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const preview = await previewBackfill(scope, tenant.store.id, { name: 'gone.csv', bytes: Buffer.from(`id,at\n${unique('e')},2026-01-01T00:00:00Z\n`) });
  if (completed) await confirmBackfill(scope, preview.id);
  return preview.id;
}
/** A trigger of the tenant (each write call gets its own: deletes and renames must not collide). */
const triggerEventType = () => `Isolated_${unique('t').replace(/-/g, '_')}`;
const triggerOf = async (tenant: Tenant) =>
  (await createTrigger(getPrisma(), scopeOf(tenant.workspace, tenant.owner), { eventType: triggerEventType(), baseObject: 'Invoice', condition: "Invoice.Status == 'Posted'" })).id;
const TRIGGER_NEED = { scope: 'triggers:write', label: 'create or change triggers' } as const;
/** Calls a route of one of the tenant's triggers. */
const onTrigger =
  (handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>, method: string, suffix: string, body?: () => unknown) =>
  async (auth: Auth, target: Tenant) => {
    const id = await triggerOf(target);
    return handler(request(method, `/api/v1/triggers/${id}${suffix}`, auth, body?.()), params({ id }));
  };
const BACKFILL_NEED = { scope: 'events:delete', label: 'delete events by backfill or undo a backfill' } as const;
/** Calls a backfill route of the tenant's backfill `id` (made per call by `make`). */
const onBackfill =
  (handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>, method: string, suffix: string, make: (tenant: Tenant) => Promise<string>) =>
  async (auth: Auth, target: Tenant) => {
    const id = await make(target);
    return handler(request(method, `/api/v1/backfills/${id}${suffix}`, auth), params({ id }));
  };

/**
 * Every REST route and method, with how to call it against tenant `target` as `auth`. A route added
 * without an entry here fails the discovery test below.
 */
const ROUTES = {
  'GET /api/v1/event-stores': { write: null, call: (auth: Auth, _target: Tenant) => listStores(request('GET', '/api/v1/event-stores', auth), params({})) },
  'POST /api/v1/event-stores': {
    write: { scope: 'stores:write', label: 'create or change event stores' },
    call: (auth: Auth, target: Tenant) =>
      createStore(request('POST', '/api/v1/event-stores', auth, { name: unique('api-store'), definitionId: target.definition.id }), params({})),
  },
  'GET /api/v1/event-stores/[id]': {
    write: null,
    call: (auth: Auth, target: Tenant) =>
      getStore(request('GET', `/api/v1/event-stores/${target.store.id}`, auth), params({ id: target.store.id })),
  },
  'GET /api/v1/event-stores/[id]/activity': {
    write: null,
    call: (auth: Auth, target: Tenant) =>
      storeActivity(request('GET', `/api/v1/event-stores/${target.store.id}/activity`, auth), params({ id: target.store.id })),
  },
  'GET /api/v1/event-definitions': { write: null, call: (auth: Auth, _target: Tenant) => listDefinitions(request('GET', '/api/v1/event-definitions', auth), params({})) },
  'POST /api/v1/event-stores/[id]/events': {
    write: { scope: 'events:write', label: 'send or delete events' },
    call: (auth: Auth, target: Tenant) =>
      ingest(request('POST', `/api/v1/event-stores/${target.store.id}/events`, auth, [{ id: unique('e'), at: '2026-01-01T00:00:00Z' }]), params({ id: target.store.id })),
  },
  'GET /api/v1/event-stores/[id]/events': {
    write: null,
    call: (auth: Auth, target: Tenant) =>
      listEvents(request('GET', `/api/v1/event-stores/${target.store.id}/events`, auth), params({ id: target.store.id })),
  },
  'GET /api/v1/event-stores/[id]/backfills/template': {
    write: BACKFILL_NEED,
    call: (auth: Auth, target: Tenant) =>
      backfillTemplate(request('GET', `/api/v1/event-stores/${target.store.id}/backfills/template`, auth), params({ id: target.store.id })),
  },
  'POST /api/v1/event-stores/[id]/backfills': {
    write: BACKFILL_NEED,
    call: (auth: Auth, target: Tenant) => {
      const upload = request('POST', `/api/v1/event-stores/${target.store.id}/backfills`, auth);
      const headers = new Headers(upload.headers);
      headers.set('content-type', 'text/csv');
      const body = `id,at\n${unique('e')},2026-01-01T00:00:00Z\n`;
      return uploadBackfill(new Request(upload.url, { method: 'POST', headers, body }), params({ id: target.store.id }));
    },
  },
  'GET /api/v1/event-stores/[id]/backfills': {
    write: BACKFILL_NEED,
    call: (auth: Auth, target: Tenant) =>
      listBackfillsRoute(request('GET', `/api/v1/event-stores/${target.store.id}/backfills`, auth), params({ id: target.store.id })),
  },
  'GET /api/v1/backfills/[id]': { write: BACKFILL_NEED, call: onBackfill(getBackfillRoute, 'GET', '', (t) => backfillOf(t)) },
  'POST /api/v1/backfills/[id]/confirm': { write: BACKFILL_NEED, call: onBackfill(confirmBackfillRoute, 'POST', '/confirm', (t) => backfillOf(t)) },
  'POST /api/v1/backfills/[id]/undo': { write: BACKFILL_NEED, call: onBackfill(undoBackfillRoute, 'POST', '/undo', (t) => backfillOf(t, true)) },
  'GET /api/v1/backfills/[id]/deleted-events.csv': {
    write: BACKFILL_NEED,
    call: onBackfill(deletedEventsRoute, 'GET', '/deleted-events.csv', (t) => backfillOf(t, true)),
  },
  'GET /api/v1/backfills/[id]/unmatched.csv': { write: BACKFILL_NEED, call: onBackfill(unmatchedRoute, 'GET', '/unmatched.csv', (t) => backfillOf(t)) },
  'POST /api/v1/runs': {
    write: { scope: 'runs:write', label: 'run meters' },
    call: (auth: Auth, target: Tenant) =>
      startRunRoute(request('POST', '/api/v1/runs', auth, { meterId: fixturesOf(target).meterId, scope: { kind: 'all' }, dryRun: true, idempotencyKey: unique('key') }), params({})),
  },
  'GET /api/v1/runs': { write: null, call: (auth: Auth, _target: Tenant) => listRunsRoute(request('GET', '/api/v1/runs', auth), params({})) },
  'GET /api/v1/runs/[id]': {
    write: null,
    call: (auth: Auth, target: Tenant) => getRun(request('GET', `/api/v1/runs/${fixturesOf(target).runId}`, auth), params({ id: fixturesOf(target).runId })),
  },
  'GET /api/v1/runs/[id]/errors': {
    write: null,
    call: (auth: Auth, target: Tenant) => runErrors(request('GET', `/api/v1/runs/${fixturesOf(target).runId}/errors`, auth), params({ id: fixturesOf(target).runId })),
  },
  'POST /api/v1/runs/[id]/cancel': {
    write: { scope: 'runs:write', label: 'run meters' },
    call: async (auth: Auth, target: Tenant) => {
      const runId = await queuedRun(target);
      return cancelRunRoute(request('POST', `/api/v1/runs/${runId}/cancel`, auth), params({ id: runId }));
    },
  },
  'POST /api/v1/meters/[id]/ingest': {
    write: { scope: 'meters:ingest', label: 'send or delete events' },
    call: (auth: Auth, target: Tenant) =>
      ingestMeter(request('POST', `/api/v1/meters/${fixturesOf(target).liveMeterId}/ingest`, auth, [{ id: unique('r'), at: '2026-01-01T00:00:00Z' }]), params({ id: fixturesOf(target).liveMeterId })),
  },
  'POST /api/v1/meters/[id]/events': {
    write: { scope: 'meters:ingest', label: 'send or delete events' },
    call: (auth: Auth, target: Tenant) =>
      ingestMeter(request('POST', `/api/v1/meters/${fixturesOf(target).liveMeterId}/events`, auth, [{ id: unique('r'), at: '2026-01-01T00:00:00Z' }]), params({ id: fixturesOf(target).liveMeterId })),
  },
  'POST /api/v1/object-changes': {
    write: { scope: 'object-changes:write', label: 'send object changes' },
    call: (auth: Auth, _target: Tenant) =>
      receiveObjectChanges(
        request('POST', '/api/v1/object-changes', auth, [{ object: 'Invoice', recordId: unique('inv'), changeType: 'INSERT', current: { Status: 'Draft' }, time: '2026-01-01T00:00:00Z' }]),
        params({}),
      ),
  },
  'POST /api/v1/business-events/replay': {
    write: { scope: 'notifications:write', label: 'add or change notification endpoints, resend deliveries and replay business events' },
    call: (auth: Auth, _target: Tenant) =>
      replayBusinessEventsRoute(request('POST', '/api/v1/business-events/replay', auth, { from: new Date(Date.now() - 60_000).toISOString() }), params({})),
  },
  'GET /api/v1/triggers': { write: null, call: (auth: Auth, _target: Tenant) => listTriggersRoute(request('GET', '/api/v1/triggers', auth), params({})) },
  'POST /api/v1/triggers': {
    write: TRIGGER_NEED,
    call: (auth: Auth, _target: Tenant) =>
      createTriggerRoute(request('POST', '/api/v1/triggers', auth, { eventType: triggerEventType(), baseObject: 'Invoice', condition: "Invoice.Status == 'Posted'" }), params({})),
  },
  'GET /api/v1/triggers/[id]': { write: null, call: onTrigger(getTriggerRoute, 'GET', '') },
  'PUT /api/v1/triggers/[id]': {
    write: TRIGGER_NEED,
    call: onTrigger(putTriggerRoute, 'PUT', '', () => ({ eventType: triggerEventType(), baseObject: 'Invoice', condition: "Invoice.Status == 'Paid'" })),
  },
  'PATCH /api/v1/triggers/[id]': { write: TRIGGER_NEED, call: onTrigger(patchTriggerRoute, 'PATCH', '', () => ({ description: 'patched' })) },
  'DELETE /api/v1/triggers/[id]': { write: TRIGGER_NEED, call: onTrigger(deleteTriggerRoute, 'DELETE', '') },
  'POST /api/v1/triggers/[id]/activate': { write: TRIGGER_NEED, call: onTrigger(activateTriggerRoute, 'POST', '/activate') },
  'POST /api/v1/triggers/[id]/deactivate': { write: TRIGGER_NEED, call: onTrigger(deactivateTriggerRoute, 'POST', '/deactivate') },
  'GET /api/v1/usage-records/export': {
    write: null,
    call: (auth: Auth, _target: Tenant) => exportUsageRecords(request('GET', '/api/v1/usage-records/export', auth), params({})),
  },
} as const;
type RouteName = keyof typeof ROUTES;
const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];
// The catch-all answers unknown /api/v1 paths with a JSON 404; it serves nothing, so it needs no credentials.
const NOT_FOUND_ROUTES = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method) => `${method} /api/v1/[...path]`);
const PUBLIC_ROUTES = ['GET /api/health', ...NOT_FOUND_ROUTES];

let a: Tenant;
let b: Tenant;
let keyA: string;
let keyB: string;
let readOnlyKeyA: string;

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  keyA = (await makeApiKey(a.workspace, a.owner, API_SCOPE_NAMES)).key;
  keyB = (await makeApiKey(b.workspace, b.owner, API_SCOPE_NAMES)).key;
  readOnlyKeyA = (await makeApiKey(a.workspace, a.owner, ['stores:read'])).key;
  for (const tenant of [a, b]) runFixtures.set(tenant.workspace.id, await makeRunFixtures(tenant));
});
afterAll(() => stopRunQueue());

describe('REST API authorization', () => {
  it('covers every route handler in app/api', async () => {
    const found: string[] = [];
    for (const file of findFiles('app/api', 'route.ts')) {
      const mod = await import(/* @vite-ignore */ path.resolve(file));
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) if (method in mod) found.push(`${method} ${routePathOf(file)}`);
    }
    expect(found.sort()).toEqual([...ROUTE_NAMES, ...PUBLIC_ROUTES].sort());
  });

  it.each(ROUTE_NAMES)('%s: refuses a request with no credentials (401)', async (name) => {
    const response = await ROUTES[name].call(null, a);
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toMatch(/Authentication required/);
  });

  it.each(ROUTE_NAMES)('%s: a wrong or malformed key gets the same 401, with no hint', async (name) => {
    for (const auth of [{ key: 'umc_' + 'x'.repeat(43) }, { authorization: 'Bearer not-a-key' }, { authorization: 'Basic abc' }]) {
      const response = await ROUTES[name].call(auth, a);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Invalid or revoked API key.' } });
    }
  });

  it.each(ROUTE_NAMES)("%s: another workspace's key never reaches this workspace's data", async (name) => {
    const response = await ROUTES[name].call({ key: keyB }, a);
    const text = await response.text();
    expect(text).not.toContain(a.store.id);
    expect(text).not.toContain(a.definition.id);
    expect(text).not.toContain(a.workspace.id);
    for (const id of Object.values(fixturesOf(a))) expect(text).not.toContain(id);
    if (name.includes('/[id]') || name === 'POST /api/v1/runs') expect(response.status).toBe(404);
    if (name === 'POST /api/v1/event-stores') expect(response.status).toBe(400);
  });

  const WRITE_ROUTES = ROUTE_NAMES.filter((n) => ROUTES[n].write);

  it.each(WRITE_ROUTES)('%s: a key without the scope is refused (403)', async (name) => {
    const response = await ROUTES[name].call({ key: readOnlyKeyA }, a);
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toBe(`This API key does not have the "${ROUTES[name].write!.scope}" scope. Create a key that has it.`);
  });

  it.each(WRITE_ROUTES)('%s: a signed-in viewer is refused with a clear message (403)', async (name) => {
    const response = await ROUTES[name].call({ cookie: await sessionCookie(a.viewer.email) }, a);
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toBe(
      `You are a viewer in ${a.workspace.name}: only owners and editors can ${ROUTES[name].write!.label}.`,
    );
  });

  // Reads that need a write scope (a backfill's downloads) are GETs: the browser's cross-site rules cover those.
  it.each(WRITE_ROUTES.filter((n) => !n.startsWith('GET ')))('%s: a signed-in editor posting from another site is refused (403)', async (name) => {
    const cookie = await sessionCookie(a.editor.email);
    const response = await ROUTES[name].call({ cookie, origin: 'https://evil.example' } as Auth, a);
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toMatch(/^Cross-site request refused/);
  });

  it.each(ROUTE_NAMES)('%s: works for its own workspace with a key and with a session', async (name) => {
    expect((await ROUTES[name].call({ key: keyA }, a)).status).toBeLessThan(300);
    expect((await ROUTES[name].call({ cookie: await sessionCookie(a.editor.email) }, a)).status).toBeLessThan(300);
  });

  it("a session call whose X-Workspace-Id names a workspace the user does not belong to is refused (403), not run in their own", async () => {
    const cookie = await sessionCookie(a.editor.email);
    for (const named of [b.workspace.id, 'no-such-workspace']) {
      const response = await listStores(
        new Request('http://localhost/api/v1/event-stores', { headers: { cookie, 'x-workspace-id': named } }),
        params({}),
      );
      expect(response.status).toBe(403);
      const text = await response.text();
      expect(JSON.parse(text).error).toEqual({ code: 'FORBIDDEN', message: 'X-Workspace-Id names a workspace you are not a member of.' });
      expect(text).not.toContain(a.store.id);
      expect(text).not.toContain(b.store.id);
    }
    const created = await createStore(
      new Request('http://localhost/api/v1/event-stores', {
        method: 'POST',
        headers: { cookie, 'x-workspace-id': b.workspace.id, 'content-type': 'application/json' },
        body: JSON.stringify({ name: unique('api-store'), definitionId: a.definition.id }),
      }),
      params({}),
    );
    expect(created.status).toBe(403);
  });

  it("a session call's X-Workspace-Id of the user's own workspace picks it; a stale workspace cookie falls back to their first", async () => {
    const cookie = await sessionCookie(a.viewer.email);
    const named = await listStores(new Request('http://localhost/api/v1/event-stores', { headers: { cookie, 'x-workspace-id': a.workspace.id } }), params({}));
    expect((await named.json()).data.map((s: { id: string }) => s.id)).toContain(a.store.id);
    // The cookie is the console's remembered choice: after leaving that workspace, the user lands in their first.
    const stale = await listStores(
      new Request('http://localhost/api/v1/event-stores', { headers: { cookie: `${cookie}; umc_workspace=${b.workspace.id}` } }),
      params({}),
    );
    const body = await stale.json();
    expect(body.data.map((s: { id: string }) => s.id)).toContain(a.store.id);
    expect(JSON.stringify(body)).not.toContain(b.store.id);
  });

  it("an API key call whose X-Workspace-Id names another workspace than the key's is refused (403)", async () => {
    const response = await listStores(
      new Request('http://localhost/api/v1/event-stores', { headers: { authorization: `Bearer ${keyA}`, 'x-workspace-id': b.workspace.id } }),
      params({}),
    );
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toBe('This API key belongs to another workspace than the one X-Workspace-Id names.');
  });
});

describe('unknown /api/v1 paths', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const)('%s answers a JSON 404 in the API error shape, not an HTML page', async (method) => {
    const response = await unknownApi[method](request(method, '/api/v1/runs/123?x=1', { key: keyA }));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: `There is no API at ${method} /api/v1/runs/123. See the README's REST API section for the routes there are.` },
    });
  });
});

describe('API keys', () => {
  it('a revoked key stops working at once', async () => {
    const { key, apiKey } = await makeApiKey(a.workspace, a.owner, ['stores:read']);
    expect((await ROUTES['GET /api/v1/event-stores'].call({ key }, a)).status).toBe(200);
    await revokeApiKey(getPrisma(), scopeOf(a.workspace, a.owner), apiKey.id);
    const response = await ROUTES['GET /api/v1/event-stores'].call({ key }, a);
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toBe('Invalid or revoked API key.');
  });

  it('records when a key was last used', async () => {
    const { key, apiKey } = await makeApiKey(a.workspace, a.owner, ['stores:read']);
    await ROUTES['GET /api/v1/event-stores'].call({ key }, a);
    const row = await getPrisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });

  it('writes a key’s last use at most once a minute', async () => {
    const { key, apiKey } = await makeApiKey(a.workspace, a.owner, ['stores:read']);
    const lastUsed = async () => (await getPrisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt!.getTime();
    await ROUTES['GET /api/v1/event-stores'].call({ key }, a);
    const first = await lastUsed();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ROUTES['GET /api/v1/event-stores'].call({ key }, a);
    expect(await lastUsed()).toBe(first);
    // Used two minutes ago: the next request records it again.
    await getPrisma().apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: new Date(Date.now() - 120_000) } });
    await ROUTES['GET /api/v1/event-stores'].call({ key }, a);
    expect(await lastUsed()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('stores only a hash of the key', async () => {
    const { key, apiKey } = await makeApiKey(a.workspace, a.owner, ['stores:read']);
    const row = await getPrisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers invalid input with 400 naming the field, and creates nothing', async () => {
    const response = await createStore(request('POST', '/api/v1/event-stores', { key: keyA }, { name: 'Bad Name!', definitionId: a.definition.id }), params({}));
    expect(response.status).toBe(400);
    expect((await response.json()).error.fieldErrors.name[0]).toMatch(/lowercase letters/);
    const malformed = await createStore(
      new Request('http://localhost/api/v1/event-stores', { method: 'POST', headers: { authorization: `Bearer ${keyA}` }, body: '{nope' }),
      params({}),
    );
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toBe('The request body is not valid JSON.');
  });
});
