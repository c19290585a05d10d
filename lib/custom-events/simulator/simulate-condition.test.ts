import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { simulateCondition } from '@/lib/custom-events/simulator/simulate-condition';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let tenant: Tenant;
const NOW = new Date('2026-11-30T12:00:00Z');
const POSTED_OVER_1000 = "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000";
const posting = (recordId: string, amount: number, time: string) => ({
  object: 'Invoice',
  recordId,
  changeType: 'UPDATE',
  current: { Status: 'Posted', Amount: amount },
  previous: { Status: 'Draft', Amount: amount },
  time,
});

beforeAll(async () => {
  tenant = await makeTenant();
  const received = await receiveChanges(getPool(), scopeOf(tenant.workspace, tenant.owner), [
    posting('INV-1', 1500, '2026-11-30T09:00:00Z'),
    posting('INV-2', 900, '2026-11-30T08:00:00Z'),
    posting('INV-3', 2500, '2026-11-29T10:00:00Z'),
    posting('INV-4', 3000, '2026-11-27T10:00:00Z'),
    posting('INV-OLD', 5000, '2026-11-01T10:00:00Z'),
    { object: 'Payment', recordId: 'P-1', changeType: 'INSERT', current: { Amount: 5000 }, time: '2026-11-30T09:00:00Z' },
  ]);
  expect(received.rejected).toBe(0);
});
afterAll(() => disconnectPrisma());

describe('simulateCondition (How often would this have fired?)', () => {
  it('counts the draft condition’s matches per day over the object’s changes in the window, with examples explained', async () => {
    const result = await simulateCondition(getPool(), tenant.workspace.id, { baseObject: 'invoice', condition: POSTED_OVER_1000, days: 7 }, { now: NOW });
    expect(result).toMatchObject({ baseObject: 'Invoice', days: 7, evaluated: 4, matched: 3, cappedAt: null, from: '2026-11-24T00:00:00.000Z' });
    expect(result.perDay.map((d) => `${d.day}:${d.matched}/${d.evaluated}`)).toEqual([
      '2026-11-24:0/0',
      '2026-11-25:0/0',
      '2026-11-26:0/0',
      '2026-11-27:1/1',
      '2026-11-28:0/0',
      '2026-11-29:1/1',
      '2026-11-30:1/2',
    ]);
    expect(result.matching.map((e) => e.recordId)).toEqual(['INV-1', 'INV-3', 'INV-4']);
    expect(result.notMatching.map((e) => e.recordId)).toEqual(['INV-2']);
    const why = result.notMatching[0]!.explanation;
    expect(why).toMatchObject({ text: POSTED_OVER_1000, value: false });
    expect(why.children.at(-1)).toMatchObject({ text: 'Invoice.Amount > 1000', value: false });
  });

  it('looks only as far back as asked: the last day', async () => {
    const result = await simulateCondition(getPool(), tenant.workspace.id, { baseObject: 'Invoice', condition: POSTED_OVER_1000, days: 1 }, { now: NOW });
    expect(result).toMatchObject({ evaluated: 2, matched: 1 });
    expect(result.perDay).toHaveLength(1);
  });

  it('reads in keyset pages and stops at the cap, saying from when on it counted', async () => {
    const paged = await simulateCondition(getPool(), tenant.workspace.id, { baseObject: 'Invoice', condition: POSTED_OVER_1000, days: 90 }, { now: NOW, pageSize: 2 });
    expect(paged).toMatchObject({ evaluated: 5, matched: 4, cappedAt: null });
    const capped = await simulateCondition(getPool(), tenant.workspace.id, { baseObject: 'Invoice', condition: POSTED_OVER_1000, days: 90 }, { now: NOW, pageSize: 2, maxChanges: 3 });
    expect(capped).toMatchObject({ evaluated: 3, matched: 2, cappedAt: '2026-11-29T10:00:00.000Z' });
    const exact = await simulateCondition(getPool(), tenant.workspace.id, { baseObject: 'Invoice', condition: POSTED_OVER_1000, days: 90 }, { now: NOW, pageSize: 2, maxChanges: 5 });
    expect(exact.cappedAt).toBeNull();
  });

  it('never reads another workspace’s changes', async () => {
    const other = await makeTenant();
    const result = await simulateCondition(getPool(), other.workspace.id, { baseObject: 'Invoice', condition: POSTED_OVER_1000, days: 90 }, { now: NOW });
    expect(result).toMatchObject({ evaluated: 0, matched: 0, matching: [], notMatching: [] });
  });

  it('refuses a condition with errors as saving does, and a window it does not offer', async () => {
    const error = await simulateCondition(getPool(), tenant.workspace.id, { baseObject: 'Invoice', condition: "Invoice.Staus == 'x'", days: 7 }).catch((e) => e);
    expect(error.fieldErrors.condition).toEqual(['Character 9-13: Invoice has no field named “Staus”. Did you mean “Status”?']);
    const window = await simulateCondition(getPool(), tenant.workspace.id, { baseObject: 'Invoice', condition: 'true', days: 5 }).catch((e) => e);
    expect(window.issues[0].message).toBe('Choose how far back to look: 1, 7, 30 or 90 days.');
  });
});
