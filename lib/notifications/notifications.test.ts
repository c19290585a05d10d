import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { storeBusinessEvents } from '@/lib/custom-events/business-events/store-business-events';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { inTransaction } from '@/lib/db/transaction';
import { createMailTransport } from '@/lib/notifications/email';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '@/lib/notifications/delivery-worker';
import { startMailCatcher } from '@/lib/notifications/mail-catcher';
import { listDeliveries, listEndpoints } from '@/lib/notifications/read-notifications';
import { resendDelivery } from '@/lib/notifications/resend-delivery';
import { createEndpoint, setEndpointActive } from '@/lib/notifications/save-endpoint';
import { makeTenant, scopeOf } from '@/lib/testing/factories';
import { startReceiver, type Answer } from '@/lib/testing/webhook-receiver';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
afterAll(() => disconnectPrisma());

const AT = '2026-11-30T09:00:00Z';
const posted = (recordId: string, amount = 1500) => ({ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: amount }, previous: { Status: 'Draft', Amount: amount }, time: AT });

async function world() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
  await createTrigger(getPrisma(), scope, { eventType: 'InvoiceDeleted', baseObject: 'Invoice', condition: "changeType == 'DELETE'" });
  return { tenant, scope, trigger, workspaceId: tenant.workspace.id };
}

async function receiver(answers?: Answer[]) {
  const r = await startReceiver(answers);
  cleanups.push(r.close);
  return r;
}

function worker(workspaceId: string, options: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
  const w = startDeliveryWorker({ pool: getPool(), appUrl: 'http://console.test', pollMs: 50, timeoutMs: 3_000, backoff: { baseMs: 100, maxMs: 1_000 }, workspaceIds: [workspaceId], ...options });
  cleanups.unshift(() => w.stop());
  return w;
}

async function fire(world: { scope: ReturnType<typeof scopeOf>; workspaceId: string }, ...changes: object[]) {
  await receiveChanges(getPool(), world.scope, changes);
  return processChanges(getPool(), world.workspaceId);
}

const deliveriesOf = async (workspaceId: string) =>
  (await getPool().query(`SELECT d.*, (SELECT count(*)::int FROM notification_attempts a WHERE a.delivery_id = d.id) AS logged FROM notification_deliveries d WHERE d.workspace_id = $1 ORDER BY d.created_at`, [workspaceId])).rows;

describe('the outbox', () => {
  it('queues one delivery per new business event and active endpoint of its type, in the event’s transaction', async () => {
    const w = await world();
    const hook = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: 'http://127.0.0.1:9/a' });
    const mail = await createEndpoint(getPrisma(), w.scope, { channel: 'email', eventType: 'InvoicePosted', recipients: 'ops@example.com' });
    const off = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: 'http://127.0.0.1:9/off' });
    await setEndpointActive(getPrisma(), w.scope, off.id, false);
    await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoiceDeleted', url: 'http://127.0.0.1:9/other' });
    const received = await receiveChanges(getPool(), w.scope, [posted('I-1'), posted('I-2')]);
    const match = (changeId: string) => ({ triggerId: w.trigger.id, triggerVersion: 1, eventType: 'InvoicePosted', condition: 'true', changeId });

    // Rolled back with its transaction: no event, no delivery.
    await expect(
      inTransaction(getPool(), async (client) => {
        await storeBusinessEvents(client, w.workspaceId, [match(received.changes[0]!.id)]);
        expect((await client.query(`SELECT count(*)::int AS n FROM notification_deliveries WHERE workspace_id = $1`, [w.workspaceId])).rows[0].n).toBe(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await deliveriesOf(w.workspaceId)).toEqual([]);

    const stored = await inTransaction(getPool(), (client) => storeBusinessEvents(client, w.workspaceId, received.changes.map((c) => match(c.id!))));
    expect(stored).toHaveLength(2);
    const rows = await deliveriesOf(w.workspaceId);
    expect(rows.map((r) => [r.event_id, r.endpoint_id, r.channel, r.status]).sort()).toEqual(
      stored.flatMap((e) => [[e.id, hook.id, 'webhook', 'pending'], [e.id, mail.id, 'email', 'pending']]).sort(),
    );
    // Storing the same matches again stores no event and so queues nothing twice.
    expect(await inTransaction(getPool(), (client) => storeBusinessEvents(client, w.workspaceId, received.changes.map((c) => match(c.id!))))).toEqual([]);
    expect(await deliveriesOf(w.workspaceId)).toHaveLength(4);
  });
});

describe('the delivery worker', () => {
  it('delivers a business event as a signed Standard Webhook that verifies with the endpoint’s secret', async () => {
    const w = await world();
    const r = await receiver();
    const endpoint = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: r.url });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await fire(w, posted('I-9', 1500));
    worker(w.workspaceId);
    await expect.poll(() => r.received.length).toBe(1);
    const payload = new Webhook(endpoint.secret!).verify(r.received[0]!.body, r.received[0]!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({
      type: 'InvoicePosted',
      data: { eventType: 'InvoicePosted', object: 'Invoice', recordId: 'I-9', changeType: 'UPDATE', current: { Status: 'Posted', Amount: 1500 }, previous: { Status: 'Draft', Amount: 1500 }, changedFields: ['Status'], trigger: { id: w.trigger.id, version: 1 } },
    });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(r.received[0]!.body, r.received[0]!.headers as Record<string, string>)).toThrow();
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.status).toBe('succeeded');
    expect((await listEndpoints(getPool(), w.workspaceId))[0]).toMatchObject({ maskedSecret: `whsec_••••••••${endpoint.secret!.slice(-4)}`, lastDelivery: { status: 'succeeded', lastStatus: 200 } });
  });

  it('retries 500, 500, then 200: exactly one success after two failures, three attempts logged, one webhook-id', async () => {
    const w = await world();
    const r = await receiver([{ status: 500 }, { status: 500 }, { status: 200, body: 'thanks' }]);
    const endpoint = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: r.url });
    await fire(w, posted('I-3'));
    worker(w.workspaceId);
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.status, { timeout: 10_000 }).toBe('succeeded');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.headers['webhook-id'])).size).toBe(1);
    // Backoff: the second wait is longer than the first.
    expect(r.received[2]!.at - r.received[1]!.at).toBeGreaterThan(r.received[1]!.at - r.received[0]!.at);
    const [log] = await listDeliveries(getPool(), w.workspaceId, { endpointId: endpoint.id });
    expect(log!.attemptLog.map((a) => [a.attempt, a.statusCode, a.succeeded])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(log!.attemptLog[2]!.responseExcerpt).toBe('thanks');
    expect(log!.attemptLog[0]!.error).toMatch(/answered 500/);
  });

  it('fails a delivery after its last attempt, and honours Retry-After', async () => {
    const w = await world();
    const r = await receiver([{ status: 503, headers: { 'retry-after': '1' } }]);
    await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: r.url });
    await fire(w, posted('I-4'));
    await getPool().query(`UPDATE notification_deliveries SET max_attempts = 2 WHERE workspace_id = $1`, [w.workspaceId]);
    worker(w.workspaceId);
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.status, { timeout: 10_000 }).toBe('failed');
    expect(r.received).toHaveLength(2);
    // Backoff alone would have waited ~100-150 ms; the endpoint asked for a second.
    expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('keeps delivering to other endpoints while one hangs', async () => {
    const w = await world();
    const slow = await receiver(['hang']);
    const fast = await receiver();
    const slowEndpoint = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: slow.url });
    await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: fast.url });
    await fire(w, ...['A', 'B', 'C', 'D', 'E', 'F'].map((id) => posted(id)));
    const started = Date.now();
    worker(w.workspaceId, { timeoutMs: 5_000, perEndpoint: 2 });
    await expect.poll(() => fast.received.length, { timeout: 4_000 }).toBe(6);
    expect(Date.now() - started).toBeLessThan(2_500);
    // The hanging endpoint holds at most its two slots.
    expect(slow.received.length).toBe(2);
    const slowOnes = (await deliveriesOf(w.workspaceId)).filter((d) => d.endpoint_id === slowEndpoint.id);
    expect(slowOnes.map((d) => d.status).sort()).toEqual(['pending', 'pending', 'pending', 'pending', 'sending', 'sending']);
  });

  it('cuts off a request at the timeout and logs it as a failed attempt', async () => {
    const w = await world();
    const slow = await receiver(['hang', { status: 200 }]);
    const endpoint = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: slow.url });
    await fire(w, posted('T-1'));
    worker(w.workspaceId, { timeoutMs: 300 });
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.status, { timeout: 5_000 }).toBe('succeeded');
    const [log] = await listDeliveries(getPool(), w.workspaceId, { endpointId: endpoint.id });
    expect(log!.attemptLog[0]).toMatchObject({ succeeded: false, statusCode: null, error: expect.stringMatching(/No answer within 300 ms/) });
  });

  it('disables the endpoint on 410 Gone and queues nothing more for it', async () => {
    const w = await world();
    const r = await receiver([{ status: 410 }]);
    const endpoint = await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: r.url });
    await fire(w, posted('G-1'));
    worker(w.workspaceId);
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.status).toBe('failed');
    const [item] = await listEndpoints(getPool(), w.workspaceId);
    expect(item).toMatchObject({ id: endpoint.id, active: false, disabledReason: expect.stringMatching(/410 Gone/) });
    await fire(w, posted('G-2'));
    expect(await deliveriesOf(w.workspaceId)).toHaveLength(1);
    expect(r.received).toHaveLength(1);
  });

  it('mails an email subscription through SMTP into the in-process catcher', async () => {
    const w = await world();
    const catcher = await startMailCatcher(getPool(), 0);
    cleanups.push(() => catcher.stop());
    await createEndpoint(getPrisma(), w.scope, { channel: 'email', eventType: 'InvoicePosted', recipients: 'ops@example.com, billing@example.com' });
    await fire(w, posted('M-1', 2000));
    worker(w.workspaceId, { mail: createMailTransport({ catcherPort: catcher.port, timeoutMs: 3_000 }) });
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.status).toBe('succeeded');
    const { rows } = await getPool().query(`SELECT * FROM caught_emails WHERE workspace_id = $1`, [w.workspaceId]);
    expect(rows).toHaveLength(1);
    const event = (await getPool().query(`SELECT id FROM business_events WHERE workspace_id = $1`, [w.workspaceId])).rows[0];
    expect(rows[0]).toMatchObject({ subject: '[InvoicePosted] Invoice M-1 (UPDATE)', to_addresses: ['ops@example.com', 'billing@example.com'] });
    expect(rows[0].text).toContain('Amount: 2000');
    expect(rows[0].text).toContain(`http://console.test/custom-events/business-events/${event.id}`);
    const [log] = await listDeliveries(getPool(), w.workspaceId, { eventId: event.id });
    expect(log!.attemptLog[0]!.responseExcerpt).toMatch(/^250/);
  });

  it('resends a delivery on request: one more attempt, logged with who asked, and audited', async () => {
    const w = await world();
    const r = await receiver();
    await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: r.url });
    await fire(w, posted('R-1'));
    worker(w.workspaceId);
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.status).toBe('succeeded');
    const [delivery] = await deliveriesOf(w.workspaceId);
    await resendDelivery(getPool(), w.scope, delivery.id);
    await expect.poll(() => r.received.length).toBe(2);
    await expect.poll(async () => (await deliveriesOf(w.workspaceId))[0]?.logged).toBe(2);
    const [log] = await listDeliveries(getPool(), w.workspaceId, { eventId: delivery.event_id });
    expect(log!.attemptLog.map((a) => a.resendBy)).toEqual([null, w.scope.actor.label]);
    expect(r.received[1]!.headers['webhook-id']).toBe(r.received[0]!.headers['webhook-id']);
    const audit = await getPool().query(`SELECT action FROM audit_events WHERE workspace_id = $1 AND target_id = $2`, [w.workspaceId, delivery.id]);
    expect(audit.rows.map((a) => a.action)).toEqual(['notification.delivery.resent']);
    // Another workspace cannot resend it.
    const other = await world();
    await expect(resendDelivery(getPool(), other.scope, delivery.id)).rejects.toThrow(/not found/);
  });
});
