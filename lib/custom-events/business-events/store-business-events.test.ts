import { afterAll, describe, expect, it } from 'vitest';
import { storeBusinessEvents } from '@/lib/custom-events/business-events/store-business-events';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { inTransaction } from '@/lib/db/transaction';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

afterAll(() => disconnectPrisma());

const AT = '2026-11-30T09:00:00Z';
const change = (object: 'Invoice' | 'Payment', recordId: string) =>
  object === 'Invoice'
    ? { object, recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: 1 }, previous: { Status: 'Draft', Amount: 1 }, time: AT }
    : { object, recordId, changeType: 'UPDATE', current: { Status: 'Processed', Amount: 1 }, previous: { Status: 'Draft', Amount: 1 }, time: AT };

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
});
