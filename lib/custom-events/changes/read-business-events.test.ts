import { afterAll, describe, expect, it } from 'vitest';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { BUSINESS_EVENTS_PAGE, getBusinessEvent, listBusinessEvents, parseBusinessEventFilters } from '@/lib/custom-events/changes/read-business-events';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { createTrigger, deleteTrigger, updateTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

afterAll(() => disconnectPrisma());

const change = (recordId: string, object = 'Invoice', time = '2026-11-30T09:00:00Z') =>
  object === 'Invoice'
    ? { object, recordId, changeType: 'UPDATE', current: { Status: 'Posted' }, previous: { Status: 'Draft' }, time }
    : { object, recordId, changeType: 'INSERT', current: { Amount: 5 }, time };

async function world(count: number) {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
  await createTrigger(getPrisma(), scope, { eventType: 'PaymentMade', baseObject: 'Payment', condition: "changeType == 'INSERT'" });
  await receiveChanges(getPool(), scope, [...Array.from({ length: count }, (_, i) => change(`I-${i}`)), change('P-1', 'Payment', '2026-10-01T00:00:00Z')]);
  await processChanges(getPool(), tenant.workspace.id);
  return { tenant, scope, trigger };
}

describe('business event reads', () => {
  it('page newest first by keyset, and filter by type, object, record id and change time', async () => {
    const { tenant } = await world(BUSINESS_EVENTS_PAGE + 3);
    const first = await listBusinessEvents(getPool(), tenant.workspace.id);
    expect(first.events).toHaveLength(BUSINESS_EVENTS_PAGE);
    const second = await listBusinessEvents(getPool(), tenant.workspace.id, parseBusinessEventFilters({ before: first.next! }));
    expect(second.events).toHaveLength(4);
    expect(second.next).toBeNull();
    expect(new Set([...first.events, ...second.events].map((e) => e.id)).size).toBe(BUSINESS_EVENTS_PAGE + 4);
    const list = async (params: Record<string, string>) => (await listBusinessEvents(getPool(), tenant.workspace.id, parseBusinessEventFilters(params))).events;
    expect((await list({ eventType: 'paymentmade' })).map((e) => e.recordId)).toEqual(['P-1']);
    expect(await list({ object: 'Payment' })).toHaveLength(1);
    expect((await list({ recordId: 'I-7' })).map((e) => e.eventType)).toEqual(['InvoicePosted']);
    expect((await list({ from: '2026-11-01T00:00:00Z' })).every((e) => e.object === 'Invoice')).toBe(true);
    expect((await list({ to: '2026-11-01T00:00:00Z' })).map((e) => e.recordId)).toEqual(['P-1']);
  });

  it('refuse a filter that is not a time, naming it', () => {
    expect(() => parseBusinessEventFilters({ from: 'yesterday' })).toThrow(expect.objectContaining({ fieldErrors: { from: ['“yesterday” is not a time; use ISO 8601, e.g. 2026-11-30T00:00:00Z.'] } }));
  });

  it('explain one event with the condition as it was when it fired, and hide other workspaces’ events', async () => {
    const { tenant, scope, trigger } = await world(1);
    const [row] = (await listBusinessEvents(getPool(), tenant.workspace.id, { recordId: 'I-0' })).events;
    await updateTrigger(getPrisma(), scope, trigger.id, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: 'Invoice.Amount > 1000' });
    const event = await getBusinessEvent(getPool(), tenant.workspace.id, row!.id);
    expect(event).toMatchObject({ condition: "changed('Status') && Invoice.Status == 'Posted'", triggerVersion: 1, current: { Status: 'Posted' }, previous: { Status: 'Draft' } });
    expect(event.explanation).toMatchObject({ truthy: true });
    const other = await makeTenant();
    await expect(getBusinessEvent(getPool(), other.workspace.id, row!.id)).rejects.toMatchObject({ status: 404 });
    await expect(getBusinessEvent(getPool(), tenant.workspace.id, 'not-a-uuid')).rejects.toMatchObject({ status: 404 });
  });

  it('keep each version’s condition (trigger_versions) and the change’s values after the trigger is edited and deleted', async () => {
    const { tenant, scope, trigger } = await world(1);
    await updateTrigger(getPrisma(), scope, trigger.id, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "Invoice.Status == 'Posted'" });
    await receiveChanges(getPool(), scope, [change('I-1', 'Invoice', '2026-11-30T10:00:00Z')]);
    await processChanges(getPool(), tenant.workspace.id);
    await deleteTrigger(getPrisma(), scope, trigger.id);
    const rows = (await listBusinessEvents(getPool(), tenant.workspace.id, { eventType: 'InvoicePosted' })).events;
    const events = await Promise.all(rows.map((r) => getBusinessEvent(getPool(), tenant.workspace.id, r.id)));
    expect(events.map((e) => [e.recordId, e.triggerId, e.triggerVersion, e.condition, e.changedFields, e.current])).toEqual([
      ['I-1', null, 2, "Invoice.Status == 'Posted'", ['Status'], { Status: 'Posted' }],
      ['I-0', null, 1, "changed('Status') && Invoice.Status == 'Posted'", ['Status'], { Status: 'Posted' }],
    ]);
    expect(events.every((e) => e.explanation.truthy)).toBe(true);
  });
});
