import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { storeBusinessEvents, storeBusinessEventsCounted, storeBusinessEventsOfChanges, timeOrderedIds, type ChangeFacts, type TriggerMatch } from '@/lib/custom-events/business-events/store-business-events';
import { EVENTS_PER_MESSAGE } from '@/lib/custom-events/streaming/outbox';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { inTransaction } from '@/lib/db/transaction';
import { makeTenant, scopeOf } from '@/lib/testing/factories';
import { createEndpoint } from '@/lib/notifications/save-endpoint';

afterAll(() => disconnectPrisma());

const AT = '2026-11-30T09:00:00Z';
const change = (object: 'Invoice' | 'Payment', recordId: string) =>
  object === 'Invoice'
    ? { object, recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: 1 }, previous: { Status: 'Draft', Amount: 1 }, time: AT }
    : { object, recordId, changeType: 'UPDATE', current: { Status: 'Processed', Amount: 1 }, previous: { Status: 'Draft', Amount: 1 }, time: AT };

/** What the stored changes hold (ChangeFacts), read back from object_changes: what a caller would pass. */
async function factsOf(changeIds: readonly string[]): Promise<Map<string, ChangeFacts>> {
  const { rows } = await getPool().query<{ id: string } & ChangeFacts>(
    `SELECT id::text, object, record_id AS "recordId", change_type::text AS "changeType", to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time
       FROM object_changes WHERE id = ANY($1::bigint[])`,
    [changeIds],
  );
  return new Map(rows.map(({ id, ...facts }) => [id, facts]));
}

/** The text of each statement a client `watched` sends (a COPY's too), in order. */
const statements: string[] = [];
function watched(client: pg.ClientBase): pg.ClientBase {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  return Object.assign(Object.create(client) as pg.ClientBase, {
    query: (...args: unknown[]) => {
      const first = args[0] as string | { text?: string };
      statements.push(typeof first === 'string' ? first : (first.text ?? ''));
      return query(...args);
    },
  });
}

const firstWords = (statement: string) => statement.trim().split(/\s+/).slice(0, 2).join(' ');

/** The match of a trigger and a change, with what the change holds (COPY's way in: `facts`) or without (the INSERT's: null). */
const matchOf =
  (trigger: { id: string; version: number; eventType: string }, facts: Map<string, ChangeFacts> | null) =>
  (changeId: string): TriggerMatch => ({
    triggerId: trigger.id,
    triggerVersion: trigger.version,
    eventType: trigger.eventType,
    condition: "changeType == 'UPDATE'",
    changeId,
    ...(facts ? { change: facts.get(changeId)! } : {}),
  });

describe('storeBusinessEvents', () => {
  it('records new trigger versions from concurrent batches that meet them in opposite orders, without a deadlock', async () => {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const triggers: { object: 'Invoice' | 'Payment'; id: string; version: number; eventType: string }[] = [];
    for (let i = 0; i < 20; i++) {
      for (const object of ['Invoice', 'Payment'] as const) {
        const eventType = `${object}Changed${i}`;
        triggers.push({ ...(await createTrigger(getPrisma(), scope, { eventType, baseObject: object, condition: "changeType == 'UPDATE'" })), object, eventType });
      }
    }
    const stored = (await receiveChanges(getPool(), scope, [change('Invoice', 'I-1'), change('Payment', 'P-1')])).changes;
    const changeOf = { Invoice: stored[0]!.id, Payment: stored[1]!.id };
    const matchesIn = (first: 'Invoice' | 'Payment') =>
      [...triggers.filter((t) => t.object === first), ...triggers.filter((t) => t.object !== first)].map((t) => ({
        triggerId: t.id,
        triggerVersion: t.version,
        eventType: t.eventType,
        condition: "changeType == 'UPDATE'",
        changeId: changeOf[t.object],
      }));
    // Four transactions, open at once, meet the same 40 new versions, two in one order and two in the other.
    // Before the versions were recorded in one order, such transactions deadlocked, and their changes waited
    // instead of being evaluated (the bench's first requests on a new workspace).
    const clients = await Promise.all(Array.from({ length: 4 }, () => getPool().connect()));
    try {
      await Promise.all(clients.map((c) => c.query('BEGIN')));
      // Each ends its transaction once stored (a rollback: the next one then records the versions itself).
      const results = await Promise.allSettled(
        clients.map(async (c, i) => {
          await storeBusinessEvents(c, tenant.workspace.id, matchesIn(i % 2 === 0 ? 'Invoice' : 'Payment'));
          await c.query('ROLLBACK');
        }),
      );
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    } finally {
      for (const c of clients) {
        await c.query('ROLLBACK').catch(() => undefined);
        c.release();
      }
    }
  });

  it('never keeps the id of a version recorded by a transaction that rolled back', async () => {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoiceChanged', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
    const [first, second] = (await receiveChanges(getPool(), scope, [change('Invoice', 'I-1'), change('Invoice', 'I-2')])).changes.map((c) => c.id);
    const match = (changeId: string) => ({ triggerId: trigger.id, triggerVersion: trigger.version, eventType: 'InvoiceChanged', condition: "changeType == 'UPDATE'", changeId });
    // Recorded, then read again in the same transaction (a second batch of it), then rolled back.
    await expect(
      inTransaction(getPool(), async (client) => {
        await storeBusinessEvents(client, tenant.workspace.id, [match(first!)]);
        await storeBusinessEvents(client, tenant.workspace.id, [match(second!)]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await getPool().query(`SELECT count(*)::int AS n FROM trigger_versions WHERE trigger_id = $1`, [trigger.id])).rows[0].n).toBe(0);
    // The next batch records the version anew, and its event points at a version that exists.
    await inTransaction(getPool(), (client) => storeBusinessEvents(client, tenant.workspace.id, [match(first!)]));
    const events = await getPool().query(
      `SELECT v.condition FROM business_events b JOIN trigger_versions v ON v.id = b.trigger_version_id WHERE b.workspace_id = $1`,
      [tenant.workspace.id],
    );
    expect(events.rows).toEqual([{ condition: "changeType == 'UPDATE'" }]);
  });

  describe.each([
    ['by INSERT', false],
    ['by COPY', true],
  ] as const)('%s', (way, withChange) => {
    it(`${way}: with JetStream, announces the new events in the stream outbox, 500 to a message in the order stored, and nothing for events stored before`, async () => {
      const tenant = await makeTenant();
      const scope = scopeOf(tenant.workspace, tenant.owner);
      const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoiceChanged', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
      const changeIds = (await receiveChanges(getPool(), scope, Array.from({ length: EVENTS_PER_MESSAGE + 2 }, (_, i) => change('Invoice', `I-${i}`)))).changes.map((c) => c.id);
      await createEndpoint(getPrisma(), scope, { channel: 'webhook', eventType: 'InvoiceChanged', url: 'http://127.0.0.1:9/hook' });
      const match = matchOf(trigger, withChange ? await factsOf(changeIds) : null);
      const prefix = `store${tenant.workspace.id.slice(0, 8)}`;
      const subject = `${prefix}.business-events.${tenant.workspace.id}`;
      const saved = { url: process.env.NATS_URL, prefix: process.env.NATS_PREFIX };
      // Streaming is on when NATS_URL is set; writing the outbox needs no connection.
      process.env.NATS_URL = 'nats://127.0.0.1:4222';
      process.env.NATS_PREFIX = prefix;
      try {
        const [last, ...rest] = [...changeIds].reverse();
        const firstBatch = rest.reverse();
        // In reverse change order: the messages follow the order the events were stored in, not the ids.
        const reversed = [...firstBatch].reverse();
        expect(await inTransaction(getPool(), (client) => storeBusinessEventsOfChanges(client, tenant.workspace.id, reversed.map(match)))).toEqual(reversed);
        // Stored before: no event and no message; the last change's event is new, and announced alone.
        expect(await inTransaction(getPool(), (client) => storeBusinessEventsCounted(client, tenant.workspace.id, [match(firstBatch[0]!), match(last!)]))).toBe(1);
        const stored = await inTransaction(getPool(), (client) => storeBusinessEvents(client, tenant.workspace.id, [match(last!), match(firstBatch[1]!)]));
        expect(stored).toEqual([]);

        const events = await getPool().query<{ id: string; change_id: string }>(`SELECT id::text, change_id::text FROM business_events WHERE workspace_id = $1`, [tenant.workspace.id]);
        const eventOf = new Map(events.rows.map((r) => [r.change_id, r.id]));
        const outbox = await getPool().query<{ msg_id: string; body: { workspaceId: string; events: { id: string; eventType: string }[] } }>(
          `SELECT msg_id, body::jsonb AS body FROM stream_outbox WHERE subject = $1 ORDER BY id`,
          [subject],
        );
        const announced = (ids: string[]) => ({ workspaceId: tenant.workspace.id, events: ids.map((c) => ({ id: eventOf.get(c)!, eventType: 'InvoiceChanged' })) });
        expect(outbox.rows.map((r) => r.body)).toEqual([announced(reversed.slice(0, EVENTS_PER_MESSAGE)), announced(reversed.slice(EVENTS_PER_MESSAGE)), announced([last!])]);
        expect(outbox.rows.map((r) => r.msg_id)).toEqual([`be:${eventOf.get(reversed[0]!)}:${EVENTS_PER_MESSAGE}`, `be:${eventOf.get(reversed[EVENTS_PER_MESSAGE]!)}:1`, `be:${eventOf.get(last!)}:1`]);
        // With JetStream the deliveries are recorded from the stream (delivery-consumers): none is queued here.
        expect((await getPool().query(`SELECT count(*)::int AS n FROM notification_deliveries WHERE workspace_id = $1`, [tenant.workspace.id])).rows[0].n).toBe(0);
      } finally {
        for (const [name, value] of [['NATS_URL', saved.url], ['NATS_PREFIX', saved.prefix]] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
        await getPool().query(`DELETE FROM stream_outbox WHERE subject = $1`, [subject]);
      }
    });

    it(`${way}: gives business events time-ordered ids (UUID version 7): the millisecond they were stored, later ones after earlier ones`, async () => {
      const tenant = await makeTenant();
      const scope = scopeOf(tenant.workspace, tenant.owner);
      const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoiceChanged', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
      const changeIds = (await receiveChanges(getPool(), scope, Array.from({ length: 6 }, (_, i) => change('Invoice', `I-${i}`)))).changes.map((c) => c.id);
      const match = matchOf(trigger, withChange ? await factsOf(changeIds) : null);
      const before = Date.now();
      const first = await inTransaction(getPool(), (client) => storeBusinessEvents(client, tenant.workspace.id, changeIds.slice(0, 3).map(match)));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await inTransaction(getPool(), (client) => storeBusinessEvents(client, tenant.workspace.id, changeIds.slice(3).map(match)));
      const after = Date.now();
      const ids = [...first, ...second].map((e) => e.id);
      for (const id of ids) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const stamp = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
        expect(stamp).toBeGreaterThanOrEqual(before - 1_000);
        expect(stamp).toBeLessThanOrEqual(after + 1_000);
      }
      expect(new Set(ids).size).toBe(6);
      // Every id of the later transaction sorts after every id of the earlier one.
      expect(second.map((e) => e.id).sort()[0]! > first.map((e) => e.id).sort()[2]!).toBe(true);
    });
  });

  it('by COPY stores what the INSERT stores, and falls back to it for a change time not in UTC milliseconds', async () => {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoiceChanged', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
    const awkward = ['I-1', 'I\t2', 'I\\3', 'I\n4 é😀'];
    const changeIds = (await receiveChanges(getPool(), scope, awkward.map((r) => change('Invoice', r)))).changes.map((c) => c.id);
    const columns = `trigger_id, trigger_version, trigger_version_id, event_type, change_id::text, object, record_id, change_type, changed_at, fire_date`;
    const rows = async () => (await getPool().query(`SELECT ${columns} FROM business_events WHERE workspace_id = $1 ORDER BY change_id`, [tenant.workspace.id])).rows;
    await inTransaction(getPool(), (client) => storeBusinessEvents(client, tenant.workspace.id, changeIds.map(matchOf(trigger, null))));
    const inserted = await rows();
    await getPool().query(`DELETE FROM business_events WHERE workspace_id = $1`, [tenant.workspace.id]);
    const facts = await factsOf(changeIds);
    const copied = await inTransaction(getPool(), (client) => storeBusinessEvents(watched(client), tenant.workspace.id, changeIds.map(matchOf(trigger, facts))));
    expect(copied.map((e) => e.changeId)).toEqual(changeIds);
    expect(statements.splice(0).filter((q) => /^(COPY|\s*WITH stored AS)/.test(q)).map(firstWords)).toEqual(['COPY business_events']);
    expect(await rows()).toEqual(inserted);
    expect(inserted.map((r) => [r.record_id, r.event_type])).toEqual(awkward.map((r) => [r, 'InvoiceChanged']));
    // The same instant with an offset: its UTC day is not its first ten characters, so the INSERT stores it.
    await getPool().query(`DELETE FROM business_events WHERE workspace_id = $1`, [tenant.workspace.id]);
    const offset = changeIds.map((id) => matchOf(trigger, facts)(id)).map((m) => ({ ...m, change: { ...m.change!, time: '2026-11-30T10:00:00+01:00' } }));
    await inTransaction(getPool(), (client) => storeBusinessEvents(watched(client), tenant.workspace.id, offset));
    expect(await rows()).toEqual(inserted);
    expect(statements.splice(0).filter((q) => /^(COPY|\s*WITH stored AS)/.test(q)).map(firstWords)).toEqual(['WITH stored']);
  });

  it('by COPY skips events stored before, through the INSERT, and stores the new ones', async () => {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoiceChanged', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
    const changeIds = (await receiveChanges(getPool(), scope, Array.from({ length: 5 }, (_, i) => change('Invoice', `I-${i}`)))).changes.map((c) => c.id);
    const match = matchOf(trigger, await factsOf(changeIds));
    expect(await inTransaction(getPool(), (client) => storeBusinessEventsCounted(client, tenant.workspace.id, changeIds.slice(0, 2).map(match)))).toBe(2);
    expect(await inTransaction(getPool(), (client) => storeBusinessEventsOfChanges(client, tenant.workspace.id, changeIds.map(match)))).toEqual(changeIds.slice(2));
    expect(await inTransaction(getPool(), (client) => storeBusinessEvents(client, tenant.workspace.id, changeIds.map(match)))).toEqual([]);
    expect((await getPool().query(`SELECT count(*)::int AS n FROM business_events WHERE workspace_id = $1`, [tenant.workspace.id])).rows[0].n).toBe(5);
  });

  it.each([
    ['by INSERT', false],
    ['by COPY', true],
  ] as const)('%s, without JetStream, queues a delivery per new event and active endpoint of its type, none for others', async (_, withChange) => {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const posted = await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
    const other = await createTrigger(getPrisma(), scope, { eventType: 'InvoiceOther', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
    const hooks = [
      await createEndpoint(getPrisma(), scope, { channel: 'webhook', eventType: 'InvoicePosted', url: 'http://127.0.0.1:9/a' }),
      await createEndpoint(getPrisma(), scope, { channel: 'webhook', eventType: 'InvoicePosted', url: 'http://127.0.0.1:9/b' }),
    ];
    const changeIds = (await receiveChanges(getPool(), scope, Array.from({ length: 3 }, (_, i) => change('Invoice', `I-${i}`)))).changes.map((c) => c.id);
    const facts = withChange ? await factsOf(changeIds) : null;
    const saved = process.env.NATS_URL;
    delete process.env.NATS_URL;
    try {
      const stored = await inTransaction(getPool(), (client) => storeBusinessEvents(client, tenant.workspace.id, [...changeIds.map(matchOf(posted, facts)), ...changeIds.map(matchOf(other, facts))]));
      expect(stored).toHaveLength(6);
      const deliveries = await getPool().query<{ event_id: string; endpoint_id: string }>(`SELECT event_id::text, endpoint_id::text FROM notification_deliveries WHERE workspace_id = $1`, [tenant.workspace.id]);
      const postedEvents = stored.filter((e) => e.eventType === 'InvoicePosted').map((e) => e.id);
      const key = (r: { event_id: string; endpoint_id: string }) => `${r.event_id}/${r.endpoint_id}`;
      expect(deliveries.rows.map(key).sort()).toEqual(postedEvents.flatMap((event_id) => hooks.map((h) => key({ event_id, endpoint_id: h.id }))).sort());
    } finally {
      if (saved !== undefined) process.env.NATS_URL = saved;
    }
  });

  it('makes version 7 ids in Node as the column default makes them: this millisecond first, then 0x70, then the variant', () => {
    const before = Date.now();
    const ids = timeOrderedIds(2_000);
    const after = Date.now();
    expect(new Set(ids).size).toBe(2_000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-70[0-9a-f]{2}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const stamp = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(stamp).toBeGreaterThanOrEqual(before);
      expect(stamp).toBeLessThanOrEqual(after);
    }
  });
});
