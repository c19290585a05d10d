import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listRoute, POST as createRoute } from '@/app/api/v1/triggers/route';
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute, PUT as putRoute } from '@/app/api/v1/triggers/[id]/route';
import { POST as activateRoute } from '@/app/api/v1/triggers/[id]/activate/route';
import { POST as deactivateRoute } from '@/app/api/v1/triggers/[id]/deactivate/route';
import { MAX_TRIGGERS_PER_WORKSPACE } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { makeApiKey, makeTenant, sessionCookie } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;
let a: Tenant;
let b: Tenant;
let writeKey: string;
let readKey: string;
let otherKey: string;

const run = crypto.randomUUID().replace(/-/g, '').slice(0, 8);
let counter = 0;
const eventType = (prefix = 'InvoicePosted') => `${prefix}_${run}_${++counter}`;
const posted = (overrides: Record<string, unknown> = {}) => ({
  eventType: eventType(),
  baseObject: 'Invoice',
  condition: "changed('Status') && Invoice.Status == 'Posted'",
  ...overrides,
});

function call<P>(handler: Handler<P>, method: string, url: string, p: P, options: { key?: string | null; body?: unknown; cookie?: string } = {}) {
  const headers = new Headers({ 'content-type': 'application/json' });
  const key = options.key === undefined ? writeKey : options.key;
  if (key) headers.set('authorization', `Bearer ${key}`);
  if (options.cookie) headers.set('cookie', options.cookie);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return handler(new Request(`http://localhost${url}`, { method, headers, body }), { params: Promise.resolve(p) });
}
const create = (body: unknown, key?: string | null) => call(createRoute, 'POST', '/api/v1/triggers', {}, { body, key });
const one = (handler: Handler<{ id: string }>, method: string, id: string, options: { key?: string | null; body?: unknown; suffix?: string } = {}) =>
  call(handler, method, `/api/v1/triggers/${id}${options.suffix ?? ''}`, { id }, options);
async function created(overrides: Record<string, unknown> = {}) {
  const response = await create(posted(overrides));
  expect(response.status).toBe(201);
  return (await response.json()).trigger as { id: string; eventType: string; version: number; active: boolean; condition: string; description: string };
}
const audits = async (id: string) => (await getPool().query(`SELECT action, actor_type FROM audit_events WHERE target_id = $1 ORDER BY id`, [id])).rows;

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  writeKey = (await makeApiKey(a.workspace, a.owner, ['triggers:read', 'triggers:write'])).key;
  readKey = (await makeApiKey(a.workspace, a.owner, ['triggers:read'])).key;
  otherKey = (await makeApiKey(b.workspace, b.owner, ['triggers:read', 'triggers:write'])).key;
});
afterAll(() => disconnectPrisma());

describe('POST /api/v1/triggers', () => {
  it('creates an active trigger at version 1 on the canonical object (201), audited as the key', async () => {
    const input = posted({ baseObject: 'invoice', description: 'Posted invoices.' });
    const response = await create(input);
    expect(response.status).toBe(201);
    const { trigger } = await response.json();
    expect(trigger).toMatchObject({ eventType: input.eventType, baseObject: 'Invoice', condition: input.condition, description: 'Posted invoices.', active: true, version: 1, samples: [] });
    expect(await audits(trigger.id)).toEqual([{ action: 'trigger.created', actor_type: 'api_key' }]);
  });

  it('refuses what the form refuses with 422, naming each field and the characters of a condition error', async () => {
    const bad = await create({ eventType: 'posted', baseObject: 'Invoise', condition: "Invoice.Status == 'Posted'" });
    expect(bad.status).toBe(422);
    const { error } = await bad.json();
    expect(error.code).toBe('INVALID_TRIGGER');
    expect(error.fieldErrors.eventType[0]).toMatch(/^Use a name like InvoicePosted/);
    expect(error.fieldErrors.baseObject[0]).toBe('There is no billing object “Invoise”. Did you mean Invoice?');
    const condition = await create(posted({ condition: "Invoice.Staus == 'Posted'" }));
    expect(condition.status).toBe(422);
    const body = await condition.json();
    expect(body.error).toMatchObject({ code: 'INVALID_CONDITION', message: 'The condition has an error; fix it before saving.' });
    expect(body.error.fieldErrors.condition[0]).toBe('Character 9-13: Invoice has no field named “Staus”. Did you mean “Status”?');
    expect((await create('{"eventType": ')).status).toBe(400);
  });

  it('refuses an event type the workspace has (any case) with 409', async () => {
    const first = await created();
    const again = await create(posted({ eventType: first.eventType.toUpperCase() }));
    expect(again.status).toBe(409);
    expect((await again.json()).error.fieldErrors.eventType[0]).toMatch(/is taken; case does not count/);
  });

  it('needs a key (401) with the triggers:write scope (403)', async () => {
    expect((await create(posted(), null)).status).toBe(401);
    const refused = await create(posted(), readKey);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toBe('This API key does not have the "triggers:write" scope. Create a key that has it.');
  });
});

describe('GET /api/v1/triggers and /api/v1/triggers/{id}', () => {
  it('lists the workspace’s triggers in keyset pages, each once, and never another workspace’s', async () => {
    const mine = [await created(), await created(), await created()];
    const theirs = await create(posted(), otherKey);
    const theirId = (await theirs.json()).trigger.id;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const response: Response = await call(listRoute, 'GET', `/api/v1/triggers?limit=2${after ? `&after=${after}` : ''}`, {}, { key: readKey });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { triggers: { id: string }[]; next: string | null };
      expect(page.triggers.length).toBeLessThanOrEqual(2);
      seen.push(...page.triggers.map((t) => t.id));
      after = page.next;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(mine.map((t) => t.id)));
    expect(seen).not.toContain(theirId);
    expect([...seen].sort()).toEqual(seen);
  });

  it('answers bad paging with 400 naming the parameter', async () => {
    const limit = await call(listRoute, 'GET', '/api/v1/triggers?limit=500', {}, { key: readKey });
    expect(limit.status).toBe(400);
    expect((await limit.json()).error.fieldErrors.limit).toEqual(['A whole number from 1 to 200.']);
    const cursor = await call(listRoute, 'GET', '/api/v1/triggers?after=nonsense', {}, { key: readKey });
    expect((await cursor.json()).error.fieldErrors.after).toEqual(['Not a cursor from a previous page.']);
  });

  it('reads one trigger; another workspace’s, a malformed id and a missing one are all 404', async () => {
    const trigger = await created();
    const response = await one(getRoute, 'GET', trigger.id, { key: readKey });
    expect(response.status).toBe(200);
    expect((await response.json()).trigger).toMatchObject({ id: trigger.id, eventType: trigger.eventType });
    for (const [id, key] of [[trigger.id, otherKey], ['nope', readKey], [crypto.randomUUID(), readKey]] as const) {
      const missing = await one(getRoute, 'GET', id, { key });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'That trigger was not found.' } });
    }
  });
});

describe('PUT, PATCH and DELETE /api/v1/triggers/{id}', () => {
  it('PATCH changes the named fields, keeps the rest and raises the version; a stale expectedVersion is 409', async () => {
    const trigger = await created({ description: 'kept?' });
    const response = await one(patchRoute, 'PATCH', trigger.id, { body: { condition: "Invoice.Status == 'Paid'" } });
    expect(response.status).toBe(200);
    expect((await response.json()).trigger).toMatchObject({ condition: "Invoice.Status == 'Paid'", description: 'kept?', eventType: trigger.eventType, version: 2 });
    const stale = await one(patchRoute, 'PATCH', trigger.id, { body: { description: 'late', expectedVersion: 1 } });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('TRIGGER_CHANGED');
    const invalid = await one(patchRoute, 'PATCH', trigger.id, { body: { condition: 'Invoice.Status ==' } });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).error.fieldErrors.condition[0]).toMatch(/^Character \d+/);
    expect(await audits(trigger.id)).toEqual([
      { action: 'trigger.created', actor_type: 'api_key' },
      { action: 'trigger.updated', actor_type: 'api_key' },
    ]);
  });

  it('PUT replaces the trigger (fields left out take their defaults); 404 for another workspace’s', async () => {
    const trigger = await created({ description: 'gone after PUT' });
    const response = await one(putRoute, 'PUT', trigger.id, { body: posted({ eventType: trigger.eventType, expectedVersion: 1 }) });
    expect(response.status).toBe(200);
    expect((await response.json()).trigger).toMatchObject({ description: '', version: 2 });
    expect((await one(putRoute, 'PUT', trigger.id, { key: otherKey, body: posted() })).status).toBe(404);
    expect((await one(putRoute, 'PUT', trigger.id, { body: [] })).status).toBe(400);
  });

  it('DELETE removes it (then 404), audited; another workspace’s key cannot', async () => {
    const trigger = await created();
    expect((await one(deleteRoute, 'DELETE', trigger.id, { key: otherKey })).status).toBe(404);
    const response = await one(deleteRoute, 'DELETE', trigger.id);
    expect(response.status).toBe(200);
    expect((await response.json()).deleted).toEqual({ id: trigger.id, eventType: trigger.eventType });
    expect((await one(getRoute, 'GET', trigger.id)).status).toBe(404);
    expect((await one(deleteRoute, 'DELETE', trigger.id)).status).toBe(404);
    expect((await audits(trigger.id)).map((r) => r.action)).toEqual(['trigger.created', 'trigger.deleted']);
  });
});

describe('POST /api/v1/triggers/{id}/activate and /deactivate', () => {
  it('turns a trigger off and on, raising the version once per change, audited; repeating changes nothing', async () => {
    const trigger = await created();
    const off = await one(deactivateRoute, 'POST', trigger.id, { suffix: '/deactivate' });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ trigger: { active: false, version: 2 }, changed: true });
    expect(await (await one(deactivateRoute, 'POST', trigger.id, { suffix: '/deactivate' })).json()).toMatchObject({ trigger: { active: false, version: 2 }, changed: false });
    const on = await one(activateRoute, 'POST', trigger.id, { suffix: '/activate' });
    expect(await on.json()).toMatchObject({ trigger: { active: true, version: 3 }, changed: true });
    expect((await audits(trigger.id)).map((r) => r.action)).toEqual(['trigger.created', 'trigger.deactivated', 'trigger.activated']);
    expect((await one(activateRoute, 'POST', trigger.id, { key: readKey, suffix: '/activate' })).status).toBe(403);
    expect((await one(activateRoute, 'POST', trigger.id, { key: otherKey, suffix: '/activate' })).status).toBe(404);
  });

  it('a signed-in viewer may read but not deactivate (403 with the role’s words)', async () => {
    const trigger = await created();
    const cookie = await sessionCookie(a.viewer.email);
    expect((await call(getRoute, 'GET', `/api/v1/triggers/${trigger.id}`, { id: trigger.id }, { key: null, cookie })).status).toBe(200);
    const refused = await call(deactivateRoute, 'POST', `/api/v1/triggers/${trigger.id}/deactivate`, { id: trigger.id }, { key: null, cookie });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toBe(`You are a viewer in ${a.workspace.name}: only owners and editors can create or change triggers.`);
  });
});

describe('at most 1,000 triggers per workspace', () => {
  it('creates the 1,000th, refuses the next with 409 and a clear message, and of two racing for the last place exactly one wins', async () => {
    const c = await makeTenant();
    const key = (await makeApiKey(c.workspace, c.owner, ['triggers:read', 'triggers:write'])).key;
    // 998 triggers in one statement (the limit is about the count, however they came to be).
    await getPool().query(
      `INSERT INTO triggers (id, workspace_id, event_type, base_object, condition, updated_at)
       SELECT gen_random_uuid(), $1, 'Filler_' || n, 'Invoice', 'true', now() FROM generate_series(1, $2::int) n`,
      [c.workspace.id, MAX_TRIGGERS_PER_WORKSPACE - 2],
    );
    expect((await create(posted(), key)).status).toBe(201);
    const racing = await Promise.all([create(posted(), key), create(posted(), key)]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = racing.find((r) => r.status === 409)!;
    const { error } = await refused.json();
    expect(error).toMatchObject({ code: 'TRIGGER_LIMIT_REACHED', details: { limit: 1000, count: 1000 } });
    expect(error.message).toBe('This workspace has 1,000 triggers, the most it can have (1,000). Delete triggers you no longer need before creating another (inactive ones count too).');
    expect(Number((await getPool().query(`SELECT count(*) FROM triggers WHERE workspace_id = $1`, [c.workspace.id])).rows[0].count)).toBe(1000);
    // Deleting one makes room again.
    const { rows } = await getPool().query(`SELECT id FROM triggers WHERE workspace_id = $1 AND event_type = 'Filler_1'`, [c.workspace.id]);
    expect((await one(deleteRoute, 'DELETE', rows[0].id, { key })).status).toBe(200);
    expect((await create(posted(), key)).status).toBe(201);
  });
});
