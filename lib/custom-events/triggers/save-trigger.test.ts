import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrigger, deleteTrigger, updateTrigger } from '@/lib/custom-events/triggers/save-trigger';
import type { TriggerInputRaw } from '@/lib/custom-events/triggers/trigger-schema';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import type { AppError } from '@/lib/errors';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;

const prisma = () => getPrisma();
const scopeA = () => scopeOf(a.workspace, a.editor, 'editor');
const scopeB = () => scopeOf(b.workspace, b.owner);
let counter = 0;
/** Event types must match /^[A-Z][A-Za-z0-9_]{2,63}$/, so unique ones are built from a run id and a counter. */
const run = crypto.randomUUID().replace(/-/g, '').slice(0, 8);
const eventType = (prefix = 'InvoicePosted') => `${prefix}_${run}_${++counter}`;
const posted = (overrides: Partial<TriggerInputRaw> = {}): TriggerInputRaw => ({
  eventType: eventType(),
  baseObject: 'invoice',
  condition: "changed('Status') && Invoice.Status == 'Posted'",
  description: 'An invoice was posted.',
  samples: [{ name: 'posted', changeType: 'UPDATE', current: { Status: 'Posted' }, previous: { Status: 'Draft' }, expected: true }],
  ...overrides,
});
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as AppError);
const row = (id: string) => prisma().trigger.findUniqueOrThrow({ where: { id } });
const audits = (id: string) => prisma().auditEvent.findMany({ where: { targetId: id }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
});
afterAll(() => disconnectPrisma());

describe('createTrigger', () => {
  it('creates an active trigger at version 1 on the canonical base object, with its samples, audited', async () => {
    const input = posted();
    const created = await createTrigger(prisma(), scopeA(), input);
    expect(created).toEqual({ id: expect.any(String), eventType: input.eventType, version: 1 });
    expect(await row(created.id)).toMatchObject({
      workspaceId: a.workspace.id,
      baseObject: 'Invoice',
      condition: input.condition,
      description: 'An invoice was posted.',
      active: true,
      samples: input.samples,
    });
    const [audit] = await audits(created.id);
    expect(audit).toMatchObject({
      workspaceId: a.workspace.id,
      action: 'trigger.created',
      targetType: 'trigger',
      actorLabel: a.editor.email,
      details: { eventType: input.eventType, baseObject: 'Invoice', version: 1 },
    });
  });

  it('refuses a condition with errors, naming the characters, and creates nothing', async () => {
    const input = posted({ condition: "changed('Status') && Invoice.Stauts == 'Posted'" });
    const error = await failure(createTrigger(prisma(), scopeA(), input));
    expect(error).toMatchObject({
      code: 'INVALID_CONDITION',
      fieldErrors: { condition: ['Character 30-35: Invoice has no field named “Stauts”. Did you mean “Status”?'] },
      details: { diagnostics: [{ start: 29, end: 35, code: 'UNKNOWN_FIELD', severity: 'error' }] },
    });
    expect(await prisma().trigger.count({ where: { eventType: input.eventType as string } })).toBe(0);
  });

  it('saves a condition that only has warnings', async () => {
    const input = posted({ condition: "Invoice.Status_old != 'Posted' && Invoice.Status == 'Posted'" });
    await expect(createTrigger(prisma(), scopeA(), input)).resolves.toMatchObject({ version: 1 });
  });

  it('checks the condition against the chosen base object', async () => {
    const error = await failure(createTrigger(prisma(), scopeA(), posted({ baseObject: 'Account', condition: "Invoice.Status_old == 'Draft'" })));
    expect(error?.fieldErrors.condition?.[0]).toMatch(/^Character 9-18: Previous values \(_old\) exist only on the object whose change is checked, Account;/);
  });

  it('refuses an event type the workspace already has, in any case, on its field; another workspace may use it', async () => {
    const taken = eventType();
    await createTrigger(prisma(), scopeA(), posted({ eventType: taken }));
    for (const again of [taken, taken.toUpperCase()]) {
      const error = await failure(createTrigger(prisma(), scopeA(), posted({ eventType: again })));
      expect(error).toMatchObject({
        code: 'EVENT_TYPE_TAKEN',
        status: 409,
        userMessage: `A trigger for the event type “${taken}” already exists in this workspace.`,
        fieldErrors: { eventType: [`Choose an event type no other trigger in this workspace has (“${taken}” is taken; case does not count).`] },
      });
    }
    await expect(createTrigger(prisma(), scopeB(), posted({ eventType: taken }))).resolves.toMatchObject({ eventType: taken });
  });

  it('compares event types exactly but for case: "_" is a character, not a wildcard', async () => {
    const underscored = eventType('Invoice_Posted');
    await createTrigger(prisma(), scopeA(), posted({ eventType: underscored }));
    const lookalike = underscored.replace('Invoice_Posted', 'InvoiceXPosted');
    await expect(createTrigger(prisma(), scopeA(), posted({ eventType: lookalike }))).resolves.toMatchObject({ eventType: lookalike });
  });

  it('refuses input that breaks the rules before touching the database', async () => {
    await expect(createTrigger(prisma(), scopeA(), posted({ eventType: 'invoice posted' }))).rejects.toThrow(/Use a name like InvoicePosted/);
    await expect(createTrigger(prisma(), scopeA(), posted({ baseObject: 'Invocie' }))).rejects.toThrow(/Did you mean Invoice\?/);
  });
});

describe('updateTrigger', () => {
  it('saves every field, raises the version and audits "trigger.updated" with it', async () => {
    const { id } = await createTrigger(prisma(), scopeA(), posted());
    const next = posted({
      eventType: eventType('AccountActivated'),
      baseObject: 'ACCOUNT',
      condition: "changed('Status') && Account.Status == 'Active'",
      description: '',
      active: false,
      samples: [],
    });
    expect(await updateTrigger(prisma(), scopeA(), id, next)).toEqual({ id, eventType: next.eventType, version: 2 });
    expect(await row(id)).toMatchObject({ eventType: next.eventType, baseObject: 'Account', condition: next.condition, description: '', active: false, samples: [], version: 2 });
    expect((await updateTrigger(prisma(), scopeA(), id, next)).version).toBe(3);
    const trail = await audits(id);
    expect(trail.map((e) => [e.action, (e.details as { version: number }).version])).toEqual([
      ['trigger.created', 1],
      ['trigger.updated', 2],
      ['trigger.updated', 3],
    ]);
  });

  it('refuses a condition with errors and changes nothing', async () => {
    const input = posted();
    const { id } = await createTrigger(prisma(), scopeA(), input);
    const error = await failure(updateTrigger(prisma(), scopeA(), id, { ...input, condition: 'Invoice.Amount' }));
    expect(error?.fieldErrors.condition).toEqual([
      "Character 1-14: A condition must be true or false, but this gives a number. Compare it with something, e.g. … > 0 or … == 'Posted'.",
    ]);
    expect(await row(id)).toMatchObject({ condition: input.condition, version: 1 });
  });

  it("treats another workspace's trigger, by its exact id, and malformed or unknown ids as not found, changing nothing", async () => {
    const theirs = await createTrigger(prisma(), scopeB(), posted());
    const before = await row(theirs.id);
    for (const id of [theirs.id, 'not-a-uuid', crypto.randomUUID()]) {
      const error = await failure(updateTrigger(prisma(), scopeA(), id, posted()));
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, userMessage: 'That trigger was not found.' });
    }
    expect(await row(theirs.id)).toEqual(before);
  });

  it('refuses an event type another trigger of the workspace has, and keeps its own', async () => {
    const taken = eventType();
    await createTrigger(prisma(), scopeA(), posted({ eventType: taken }));
    const mine = posted();
    const { id } = await createTrigger(prisma(), scopeA(), mine);
    expect((await failure(updateTrigger(prisma(), scopeA(), id, { ...mine, eventType: taken.toLowerCase().replace(/^./, 'I') })))?.code).toBe('EVENT_TYPE_TAKEN');
    await expect(updateTrigger(prisma(), scopeA(), id, { ...mine, description: 'Same name.' })).resolves.toMatchObject({ version: 2 });
  });

  it('refuses to overwrite a change saved after the editor was opened', async () => {
    const input = posted();
    const { id } = await createTrigger(prisma(), scopeA(), input);
    await updateTrigger(prisma(), scopeA(), id, { ...input, description: 'First.' }, 1);
    const error = await failure(updateTrigger(prisma(), scopeA(), id, { ...input, description: 'Second.' }, 1));
    expect(error).toMatchObject({ code: 'TRIGGER_CHANGED', status: 409 });
    expect(error?.userMessage).toBe(`Someone saved a change to “${input.eventType}” after you opened it (it is now version 2). Reload the page to see it, then make your change again.`);
    expect(await row(id)).toMatchObject({ description: 'First.', version: 2 });
  });
});

describe('deleteTrigger', () => {
  it('deletes a trigger of the workspace, audited with its event type', async () => {
    const input = posted();
    const { id } = await createTrigger(prisma(), scopeA(), input);
    expect(await deleteTrigger(prisma(), scopeA(), id)).toEqual({ id, eventType: input.eventType });
    expect(await prisma().trigger.count({ where: { id } })).toBe(0);
    const trail = await audits(id);
    expect(trail.at(-1)).toMatchObject({ action: 'trigger.deleted', actorLabel: a.editor.email, details: { eventType: input.eventType, version: 1 } });
    expect((await failure(deleteTrigger(prisma(), scopeA(), id)))?.code).toBe('NOT_FOUND');
  });

  it("treats another workspace's trigger, by its exact id, as not found and keeps it", async () => {
    const theirs = await createTrigger(prisma(), scopeB(), posted());
    for (const id of [theirs.id, 'not-a-uuid']) {
      expect(await failure(deleteTrigger(prisma(), scopeA(), id))).toMatchObject({ code: 'NOT_FOUND', userMessage: 'That trigger was not found.' });
    }
    expect(await prisma().trigger.count({ where: { id: theirs.id } })).toBe(1);
    expect(await prisma().auditEvent.count({ where: { targetId: theirs.id, action: 'trigger.deleted' } })).toBe(0);
  });
});
