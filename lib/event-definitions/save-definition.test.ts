import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';
import type { DefinitionInputRaw } from '@/lib/event-definitions/definition-schema';
import { getDefinition } from '@/lib/event-definitions/get-definition';
import { listDefinitions } from '@/lib/event-definitions/list-definitions';
import { createDefinition, updateDefinition } from '@/lib/event-definitions/save-definition';
import { makeStore, makeTenant, scopeOf, unique } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;

const prisma = () => getPrisma();
const scopeA = () => scopeOf(a.workspace, a.editor, 'editor');
const field = (name: string, type: string, required = false) => ({ name, type, required, description: '' });
const apiCall = (name = unique('API Call')): DefinitionInputRaw => ({
  name,
  description: 'One call.',
  eventIdField: 'requestId',
  eventTimeField: 'occurredAt',
  fields: [field('requestId', 'string', true), field('occurredAt', 'datetime', true), field('units', 'integer', true), field('region', 'string')],
});
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as AppError);
const row = (id: string) => prisma().eventDefinition.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
});
afterAll(() => disconnectPrisma());

describe('createDefinition', () => {
  it('creates a definition at version 1 with trimmed, typed fields, audited', async () => {
    const input = apiCall();
    const created = await createDefinition(prisma(), scopeA(), { ...input, name: ` ${input.name} ` });
    expect(created).toMatchObject({ name: input.name, version: 1 });
    const stored = await row(created.id);
    expect(stored).toMatchObject({ workspaceId: a.workspace.id, eventIdField: 'requestId', eventTimeField: 'occurredAt', description: 'One call.' });
    // A field not marked indexed is stored with `indexed: false` (the input's default).
    expect(stored.fields).toEqual(input.fields.map((f) => ({ ...f, indexed: false })));
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { targetId: created.id, action: 'definition.created' } });
    expect(audit).toMatchObject({ workspaceId: a.workspace.id, actorLabel: a.editor.email, details: { name: input.name, version: 1 } });
  });

  it('refuses a name the workspace already has, on the name field; another workspace may use it', async () => {
    const name = unique('Taken');
    await createDefinition(prisma(), scopeA(), apiCall(name));
    const error = await failure(createDefinition(prisma(), scopeA(), apiCall(name)));
    expect(error).toMatchObject({
      code: 'NAME_TAKEN',
      status: 409,
      userMessage: `An event definition named “${name}” already exists in this workspace.`,
      fieldErrors: { name: ['Choose a name no other event definition in this workspace has.'] },
    });
    expect(await prisma().auditEvent.count({ where: { workspaceId: a.workspace.id, action: 'definition.created', details: { path: ['name'], equals: name } } })).toBe(1);
    await expect(createDefinition(prisma(), scopeOf(b.workspace, b.owner), apiCall(name))).resolves.toMatchObject({ name });
  });

  it('refuses a definition without an event-time field', async () => {
    const input = { ...apiCall(), fields: [field('requestId', 'string', true)], eventTimeField: '' };
    await expect(createDefinition(prisma(), scopeA(), input)).rejects.toThrow(/a store cannot be created from a definition without one/);
  });
});

describe('updateDefinition', () => {
  it('saves any valid change to a definition no store uses and raises its version, audited', async () => {
    const { id } = await createDefinition(prisma(), scopeA(), apiCall());
    const next = { ...apiCall(unique('Renamed')), fields: [field('callId', 'integer', true), field('at', 'datetime', true)], eventIdField: 'callId', eventTimeField: 'at' };
    expect(await updateDefinition(prisma(), scopeA(), id, next)).toEqual({ id, name: next.name, version: 2 });
    expect(await row(id)).toMatchObject({ name: next.name, eventIdField: 'callId', eventTimeField: 'at', version: 2, fields: next.fields });
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { targetId: id, action: 'definition.updated' } });
    expect(audit.details).toEqual({ name: next.name, version: 2 });
  });

  it('refuses a breaking change to a definition stores use, naming the stores and the changes, and changes nothing', async () => {
    const { id } = await createDefinition(prisma(), scopeA(), apiCall());
    const [s1, s2] = [unique('calls-b'), unique('calls-a')];
    await makeStore(a.workspace.id, id, s1);
    await makeStore(a.workspace.id, id, s2);
    const fields = [field('requestId', 'string', true), field('occurredAt', 'datetime', true), field('units', 'number', true)];
    const error = await failure(updateDefinition(prisma(), scopeA(), id, { ...apiCall(), fields }));
    expect(error).toMatchObject({ code: 'DEFINITION_IN_USE', status: 409, details: { stores: [s2, s1] } });
    expect(error?.userMessage).toBe(
      `This change would invalidate events already stored in ${s2}, ${s1}: changes “units” from integer to number; removes field “region”. ` +
        'Create a new definition instead, or make only compatible changes (add optional fields, edit descriptions).',
    );
    expect(await row(id)).toMatchObject({ version: 1, fields: apiCall().fields });
    expect(await prisma().auditEvent.count({ where: { targetId: id, action: 'definition.updated' } })).toBe(0);
  });

  it('saves a compatible change to a used definition: new optional field, descriptions, a field made optional', async () => {
    const input = apiCall();
    const { id } = await createDefinition(prisma(), scopeA(), input);
    await makeStore(a.workspace.id, id);
    const fields = [
      { ...field('requestId', 'string', true), description: 'Request id.' },
      field('occurredAt', 'datetime', true),
      field('units', 'integer', false),
      field('region', 'string'),
      field('latencyMs', 'number'),
    ];
    const saved = await updateDefinition(prisma(), scopeA(), id, { ...input, description: 'Edited.', fields });
    expect(saved.version).toBe(2);
    expect(await row(id)).toMatchObject({ description: 'Edited.', fields });
    expect((await updateDefinition(prisma(), scopeA(), id, { ...input, description: 'Again.', fields })).version).toBe(3);
  });

  it('keeps which fields are indexed through create and edit, also of a used definition (marking one is compatible), as the editor and the API read them', async () => {
    const input = apiCall();
    const { id } = await createDefinition(prisma(), scopeA(), { ...input, fields: input.fields.map((f) => ({ ...f, indexed: f.name === 'region' })) });
    const indexedOf = async () => (await getDefinition(a.workspace.id, id))!.fields.filter((f) => f.indexed).map((f) => f.name);
    expect(await indexedOf()).toEqual(['region']);
    await makeStore(a.workspace.id, id);
    const fields = input.fields.map((f) => ({ ...f, indexed: f.name === 'requestId' || f.name === 'units' }));
    expect((await updateDefinition(prisma(), scopeA(), id, { ...input, fields }, 1)).version).toBe(2);
    expect(await indexedOf()).toEqual(['requestId', 'units']);
    const listed = (await listDefinitions(a.workspace.id)).find((d) => d.id === id)!;
    expect(listed.fields.map((f) => [f.name, f.indexed])).toEqual([['requestId', true], ['occurredAt', false], ['units', true], ['region', false]]);
  });

  it("treats another workspace's definition, by its exact id, and a malformed id as not found, changing nothing", async () => {
    const before = await row(b.definition.id);
    for (const id of [b.definition.id, 'not-a-uuid', crypto.randomUUID()]) {
      const error = await failure(updateDefinition(prisma(), scopeA(), id, apiCall()));
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, userMessage: 'That event definition was not found.' });
    }
    expect(await row(b.definition.id)).toEqual(before);
  });

  it('refuses to overwrite a change saved after the editor was opened', async () => {
    const input = apiCall();
    const { id } = await createDefinition(prisma(), scopeA(), input);
    await updateDefinition(prisma(), scopeA(), id, { ...input, description: 'First.' }, 1);
    const error = await failure(updateDefinition(prisma(), scopeA(), id, { ...input, description: 'Second.' }, 1));
    expect(error).toMatchObject({ code: 'DEFINITION_CHANGED', status: 409 });
    expect(error?.userMessage).toMatch(/it is now version 2\)\. Reload the page/);
    expect(await row(id)).toMatchObject({ description: 'First.', version: 2 });
  });

  it('refuses a rename to a name the workspace already has, on the name field', async () => {
    const taken = unique('Taken');
    await createDefinition(prisma(), scopeA(), apiCall(taken));
    const { id } = await createDefinition(prisma(), scopeA(), apiCall());
    const error = await failure(updateDefinition(prisma(), scopeA(), id, apiCall(taken)));
    expect(error).toMatchObject({ code: 'NAME_TAKEN', fieldErrors: { name: ['Choose a name no other event definition in this workspace has.'] } });
  });
});
