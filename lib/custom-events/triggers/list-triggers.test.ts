import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTrigger, listTriggers } from '@/lib/custom-events/triggers/list-triggers';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
const sample = { name: 'posted', changeType: 'UPDATE' as const, current: { Status: 'Posted' }, previous: { Status: 'Draft' }, expected: true };

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  const scope = scopeOf(a.workspace, a.owner);
  await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "Invoice.Status == 'Posted'", samples: [sample] });
  await createTrigger(getPrisma(), scope, { eventType: 'AccountClosed', baseObject: 'Account', condition: "Account.Status == 'Canceled'", active: false });
  await createTrigger(getPrisma(), scope, { eventType: 'AccountOpened', baseObject: 'Account', condition: "changeType == 'INSERT'" });
  await createTrigger(getPrisma(), scopeOf(b.workspace, b.owner), { eventType: 'Elsewhere', baseObject: 'Usage', condition: 'Usage.Quantity > 0' });
});
afterAll(() => disconnectPrisma());

describe('listTriggers and getTrigger', () => {
  it("list only the workspace's triggers, by base object then event type, with their samples", async () => {
    const listed = await listTriggers(a.workspace.id);
    expect(listed.map((t) => [t.baseObject, t.eventType, t.active])).toEqual([
      ['Account', 'AccountClosed', false],
      ['Account', 'AccountOpened', true],
      ['Invoice', 'InvoicePosted', true],
    ]);
    expect(listed[2]).toMatchObject({ condition: "Invoice.Status == 'Posted'", description: '', version: 1, samples: [sample] });
    expect(listed[2]!.updatedAt).toBeInstanceOf(Date);
    expect(await listTriggers(crypto.randomUUID())).toEqual([]);
  });

  it("get one by id in its workspace; another workspace's id, a malformed or an unknown one is null", async () => {
    const [theirs] = await listTriggers(b.workspace.id);
    const [mine] = await listTriggers(a.workspace.id);
    expect(await getTrigger(a.workspace.id, mine!.id)).toEqual(mine);
    expect(await getTrigger(a.workspace.id, theirs!.id)).toBeNull();
    expect(await getTrigger(a.workspace.id, 'not-a-uuid')).toBeNull();
    expect(await getTrigger(a.workspace.id, crypto.randomUUID())).toBeNull();
  });
});
