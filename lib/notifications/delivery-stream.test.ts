import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as replayRoute } from '@/app/api/v1/business-events/replay/route';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { deleteStreams, natsAnswers, openStreaming, setProcessStreaming, TEST_NATS_URL, type Streaming } from '@/lib/custom-events/streaming/nats';
import { relayOutbox, type BusinessEventsMessage } from '@/lib/custom-events/streaming/outbox';
import { createPool } from '@/lib/db/create-pool';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { startDeliveryConsumers, type DeliveryConsumers } from '@/lib/notifications/delivery-consumers';
import { startDeliveryWorker } from '@/lib/notifications/delivery-worker';
import { replayDeliveries } from '@/lib/notifications/replay-deliveries';
import { resendDelivery } from '@/lib/notifications/resend-delivery';
import { createEndpoint } from '@/lib/notifications/save-endpoint';
import { makeApiKey, makeTenant, scopeOf } from '@/lib/testing/factories';
import { startReceiver } from '@/lib/testing/webhook-receiver';

const reachable = await natsAnswers(TEST_NATS_URL);
if (!reachable) console.warn(`JetStream delivery tests skipped: no NATS server at ${TEST_NATS_URL} (start nats-server -js, or set NATS_URL)`);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(() => disconnectPrisma());

const AT = '2026-11-30T09:00:00Z';
const posted = (recordId: string) => ({ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: 10 }, previous: { Status: 'Draft', Amount: 10 }, time: AT });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function world() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
  await createTrigger(getPrisma(), scope, { eventType: 'InvoiceDeleted', baseObject: 'Invoice', condition: "changeType == 'DELETE'" });
  return { tenant, scope, workspaceId: tenant.workspace.id };
}
type World = Awaited<ReturnType<typeof world>>;

async function receiver() {
  const r = await startReceiver();
  cleanups.push(r.close);
  return r;
}

function deliver(workspaceId: string) {
  const w = startDeliveryWorker({ pool: getPool(), appUrl: 'http://console.test', pollMs: 50, timeoutMs: 3_000, backoff: { baseMs: 100, maxMs: 1_000 }, workspaceIds: [workspaceId] });
  cleanups.unshift(() => w.stop());
}

const deliveriesOf = async (workspaceId: string) =>
  (await getPool().query<{ id: string; event_id: string; endpoint_id: string; status: string; attempts: number; resend_by: string | null }>(
    `SELECT id, event_id, endpoint_id, status, attempts, resend_by FROM notification_deliveries WHERE workspace_id = $1 ORDER BY created_at, id`,
    [workspaceId],
  )).rows;
const eventsOf = async (workspaceId: string) => (await getPool().query<{ id: string; record_id: string }>(`SELECT id, record_id FROM business_events WHERE workspace_id = $1 ORDER BY record_id`, [workspaceId])).rows;

/**
 * The replay scenario, run once per path: three events, two before `since` and one after; a second endpoint
 * made after all of them. Replay from `since` re-delivers the later event to both endpoints (the old one
 * again, the new one for the first time), and the filters and errors answer the same on both paths.
 */
async function replayScenario(w: World, settle: () => Promise<void>) {
  const first = await receiver();
  const endpoint = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: first.url });
  deliver(w.workspaceId);
  await receiveChanges(getPool(), w.scope, [posted('I-1'), posted('I-2')], { evaluate: true });
  await pause(50);
  const since = new Date();
  await pause(50);
  await receiveChanges(getPool(), w.scope, [posted('I-3')], { evaluate: true });
  await settle();
  await expect.poll(async () => (await deliveriesOf(w.workspaceId)).map((d) => d.status), { timeout: 10_000 }).toEqual(['succeeded', 'succeeded', 'succeeded']);
  const later = (await eventsOf(w.workspaceId)).find((e) => e.record_id === 'I-3')!;

  const second = await receiver();
  const added = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: second.url });
  const result = await replayDeliveries(getPool(), w.scope, { from: since.toISOString() });
  expect(result).toMatchObject({ events: 1, deliveries: 2, inFlight: 0 });
  await expect.poll(() => second.received.length, { timeout: 10_000 }).toBe(1);
  await expect.poll(() => first.received.length, { timeout: 10_000 }).toBe(4);
  // The same event, signed with each endpoint's own secret; the old endpoint's webhook-id is the one it had.
  expect(new Webhook(added.secret!).verify(second.received[0]!.body, second.received[0]!.headers as Record<string, string>)).toMatchObject({ data: { id: later.id } });
  const again = first.received[3]!;
  expect(new Webhook(endpoint.secret!).verify(again.body, again.headers as Record<string, string>)).toMatchObject({ data: { id: later.id } });
  expect(first.received.filter((r) => r.headers['webhook-id'] === again.headers['webhook-id'])).toHaveLength(2);
  const rows = await deliveriesOf(w.workspaceId);
  await expect.poll(async () => (await deliveriesOf(w.workspaceId)).every((d) => d.status === 'succeeded')).toBe(true);
  expect(rows.filter((d) => d.event_id === later.id).map((d) => d.endpoint_id).sort()).toEqual([endpoint.id, added.id].sort());
  const log = await getPool().query(`SELECT a.resend_by FROM notification_attempts a JOIN notification_deliveries d ON d.id = a.delivery_id WHERE d.workspace_id = $1 AND a.resend_by IS NOT NULL`, [w.workspaceId]);
  expect(log.rows.map((r) => r.resend_by)).toEqual([w.scope.actor.label, w.scope.actor.label]);
  const audit = await getPool().query(`SELECT details FROM audit_events WHERE workspace_id = $1 AND action = 'notification.replayed'`, [w.workspaceId]);
  expect(audit.rows[0].details).toMatchObject({ from: since.toISOString(), events: 1, deliveries: 2 });

  // Filters: one endpoint; an event type nothing of which was stored since.
  expect(await replayDeliveries(getPool(), w.scope, { from: since.toISOString(), endpointId: added.id })).toMatchObject({ events: 1, deliveries: 1 });
  expect(await replayDeliveries(getPool(), w.scope, { from: since.toISOString(), eventType: 'InvoiceDeleted' })).toMatchObject({ events: 0, deliveries: 0 });
  // Errors name the field.
  const refusal = async (input: object) => {
    const error = await replayDeliveries(getPool(), w.scope, input).then(() => null, (e: unknown) => e as { status?: number; fieldErrors?: object; issues?: { path: string[] }[] });
    return error?.fieldErrors ? { status: error.status, fields: Object.keys(error.fieldErrors) } : { status: 400, fields: error?.issues?.map((i) => i.path.join('.')) };
  };
  expect(await refusal({})).toEqual({ status: 400, fields: ['from'] });
  expect(await refusal({ from: 'yesterday' })).toEqual({ status: 400, fields: ['from'] });
  expect(await refusal({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual({ status: 422, fields: ['from'] });
  expect(await refusal({ from: new Date(Date.now() - 8 * 86_400_000).toISOString() })).toEqual({ status: 422, fields: ['from'] });
  expect(await refusal({ from: since.toISOString(), endpointId: randomUUID() })).toEqual({ status: 422, fields: ['endpointId'] });
  expect(await refusal({ from: since.toISOString(), endpointId: 'nope' })).toEqual({ status: 400, fields: ['endpointId'] });
  expect(await refusal({ from: since.toISOString(), eventType: 'NoSuchType' })).toEqual({ status: 422, fields: ['eventType'] });
  expect(await refusal({ from: since.toISOString(), endpointId: added.id, eventType: 'InvoiceDeleted' })).toEqual({ status: 422, fields: ['eventType'] });
  return result;
}

describe('replay without NATS (PostgreSQL)', () => {
  beforeAll(() => setProcessStreaming('off'));
  afterAll(() => setProcessStreaming(null));

  it('re-delivers the events stored since a time to the endpoints, audited, with errors naming the field', async () => {
    const result = await replayScenario(await world(), async () => undefined);
    expect(result.source).toBe('postgres');
  });

  it('answers through the REST route with the notifications:write scope only', async () => {
    const w = await world();
    const post = (key: string, body: unknown) =>
      replayRoute(new Request('http://localhost/api/v1/business-events/replay', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });
    const allowed = (await makeApiKey(w.tenant.workspace, w.tenant.owner, ['notifications:write'])).key;
    const other = (await makeApiKey(w.tenant.workspace, w.tenant.owner, ['triggers:write'])).key;
    const ok = await post(allowed, { from: new Date(Date.now() - 60_000).toISOString() });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ replay: { events: 0, deliveries: 0, inFlight: 0, source: 'postgres' } });
    expect((await post(other, { from: new Date().toISOString() })).status).toBe(403);
    const bad = await post(allowed, { from: 'last week' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fieldErrors.from[0]).toMatch(/^from must be an ISO 8601 time/);
  });
});

describe.skipIf(!reachable)('deliveries and replay through JetStream (NATS at 127.0.0.1:4222)', () => {
  let streaming: Streaming;
  const consumers: DeliveryConsumers[] = [];
  beforeAll(async () => {
    streaming = await openStreaming({ url: TEST_NATS_URL, prefix: `t${randomUUID().slice(0, 8)}`, partitions: 2 });
    setProcessStreaming(streaming);
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    setProcessStreaming(null);
    if (streaming) await deleteStreams(streaming);
  });
  const consume = async (workspaceId: string, pool = getPool(), onRecorded?: (deliveries: number, deliveryCount: number) => void) => {
    const c = await startDeliveryConsumers(streaming, pool, { workspaceIds: [workspaceId], onRecorded: (_w, n, count) => onRecorded?.(n, count) });
    consumers.push(c);
    return c;
  };

  it('records deliveries from the stream, not in the event’s transaction, once each however often a message comes', async () => {
    const w = await world();
    const r = await receiver();
    const endpoint = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: r.url });
    await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoiceDeleted', url: r.url });
    await receiveChanges(getPool(), w.scope, [posted('I-1'), posted('I-2')], { evaluate: true });
    expect(await eventsOf(w.workspaceId)).toHaveLength(2);
    expect(await deliveriesOf(w.workspaceId)).toEqual([]);
    const recorded: number[] = [];
    await consume(w.workspaceId, getPool(), (n) => recorded.push(n));
    await relayOutbox(streaming, getPool());
    await expect.poll(() => deliveriesOf(w.workspaceId), { timeout: 10_000 }).toHaveLength(2);
    expect((await deliveriesOf(w.workspaceId)).every((d) => d.endpoint_id === endpoint.id && d.status === 'pending')).toBe(true);

    // The same message again (as after a crash past JetStream's duplicate window): nothing recorded twice.
    const events = await eventsOf(w.workspaceId);
    const message: BusinessEventsMessage = { workspaceId: w.workspaceId, events: events.map((e) => ({ id: e.id, eventType: 'InvoicePosted' })) };
    await streaming.js.publish(streaming.businessEventsSubject(w.workspaceId), JSON.stringify(message), { msgID: `again-${randomUUID()}` });
    await expect.poll(() => recorded.length, { timeout: 10_000 }).toBe(2);
    expect(recorded).toEqual([2, 0]);
    expect(await deliveriesOf(w.workspaceId)).toHaveLength(2);

    // The delivery worker sends them as before: signed, logged, and a manual resend still works.
    deliver(w.workspaceId);
    await expect.poll(async () => (await deliveriesOf(w.workspaceId)).map((d) => d.status), { timeout: 10_000 }).toEqual(['succeeded', 'succeeded']);
    expect(new Webhook(endpoint.secret!).verify(r.received[0]!.body, r.received[0]!.headers as Record<string, string>)).toMatchObject({ type: 'InvoicePosted' });
    const [one] = await deliveriesOf(w.workspaceId);
    await resendDelivery(getPool(), w.scope, one!.id);
    await expect.poll(() => r.received.length, { timeout: 10_000 }).toBe(3);
    await expect.poll(async () => (await deliveriesOf(w.workspaceId)).find((d) => d.id === one!.id)?.attempts).toBe(2);
  });

  it('acknowledges a message only once its deliveries are recorded: a failure is redelivered, then recorded', async () => {
    const w = await world();
    await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: 'http://127.0.0.1:9/x' });
    await receiveChanges(getPool(), w.scope, [posted('I-7')], { evaluate: true });
    const [event] = await eventsOf(w.workspaceId);
    // Statements time out after 300 ms, and the test holds the event's row: recording (its foreign key) waits and fails.
    const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 2, options: '-c statement_timeout=300' });
    const lock = await getPool().connect();
    const counts: number[] = [];
    try {
      await lock.query('BEGIN');
      await lock.query(`SELECT 1 FROM business_events WHERE id = $1 FOR UPDATE`, [event!.id]);
      const c = await consume(w.workspaceId, pool, (n, deliveryCount) => counts.push(n, deliveryCount));
      await relayOutbox(streaming, getPool());
      await pause(800);
      expect(await deliveriesOf(w.workspaceId)).toEqual([]);
      await lock.query('ROLLBACK');
      await expect.poll(() => deliveriesOf(w.workspaceId), { timeout: 10_000 }).toHaveLength(1);
      await expect.poll(() => counts.length).toBe(2);
      expect(counts[0]).toBe(1);
      expect(counts[1]).toBeGreaterThanOrEqual(2);
      await c.stop();
    } finally {
      lock.release();
      await pool.end();
    }
  });

  it('keeps recording for a workspace while another’s consumer is stuck', async () => {
    const stuck = await world();
    const free = await world();
    await createEndpoint(getPrisma(), stuck.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: 'http://127.0.0.1:9/x' });
    await createEndpoint(getPrisma(), free.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: 'http://127.0.0.1:9/y' });
    await receiveChanges(getPool(), stuck.scope, [posted('S-1')], { evaluate: true });
    const [event] = await eventsOf(stuck.workspaceId);
    const lock = await getPool().connect();
    try {
      await lock.query('BEGIN');
      await lock.query(`SELECT 1 FROM business_events WHERE id = $1 FOR UPDATE`, [event!.id]);
      const c = await startDeliveryConsumers(streaming, getPool(), { workspaceIds: [stuck.workspaceId, free.workspaceId] });
      consumers.push(c);
      await relayOutbox(streaming, getPool());
      await receiveChanges(getPool(), free.scope, [posted('F-1')], { evaluate: true });
      await relayOutbox(streaming, getPool());
      await expect.poll(() => deliveriesOf(free.workspaceId), { timeout: 5_000 }).toHaveLength(1);
      expect(await deliveriesOf(stuck.workspaceId)).toEqual([]);
      await lock.query('ROLLBACK');
      await expect.poll(() => deliveriesOf(stuck.workspaceId), { timeout: 10_000 }).toHaveLength(1);
      await c.stop();
    } finally {
      lock.release();
    }
  });

  it('replays from a point in time through the stream, with the same result as without NATS', async () => {
    const w = await world();
    await consume(w.workspaceId);
    const result = await replayScenario(w, async () => {
      await relayOutbox(streaming, getPool());
    });
    expect(result.source).toBe('stream');
  });
});
