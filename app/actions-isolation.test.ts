import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findFiles } from '@/lib/testing/discover';
import { makeApiKey, makeTenant, scopeOf, sessionCookie, TEST_PASSWORD, unique } from '@/lib/testing/factories';

// Server actions read the request through next/headers. Outside Next there is no request, so these tests
// supply one: the headers (with a real Better Auth session cookie) and a cookie jar. Everything else —
// Better Auth, Prisma, PostgreSQL — is real.
const request = vi.hoisted(() => ({ headers: new Headers(), jar: new Map<string, string>() }));
vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    get: (name: string) => (request.jar.has(name) ? { name, value: request.jar.get(name) } : undefined),
    set: (name: string, value: string) => void request.jar.set(name, value),
    delete: (name: string) => void request.jar.delete(name),
  }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const { withRenderedWorkspace } = await import('@/lib/workspaces/rendered-workspace');
const consoleActions = await import('@/app/(console)/actions');
const storeActions = await import('@/app/(console)/event-stores/actions');
const definitionActions = await import('@/app/(console)/event-definitions/actions');
const keyActions = await import('@/app/(console)/settings/api-keys/actions');
const triggerActions = await import('@/app/(console)/custom-events/actions');
const meterInlineActions = await import('@/app/(console)/meters/inline-actions');
const meterActions = await import('@/app/(console)/meters/actions');
const runActions = await import('@/app/(console)/runs/actions');
const backfillActions = await import('@/app/(console)/event-stores/[id]/backfill/actions');
const notificationActions = await import('@/app/(console)/custom-events/notifications/actions');
const connectorActions = await import('@/app/(console)/custom-events/connectors/actions');

/** The workspace the page was rendered for, which the console's forms add to every submission (see as()). */
let renderedFor: string | undefined;
/** An action as the console's forms call it (useWorkspaceActionState): with the rendered workspace added. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any action's own signature is kept
const fromPage = <A extends (previous: null, raw: any) => Promise<unknown>>(action: A) =>
  ((previous: null, raw: unknown) => action(previous, renderedFor === undefined ? raw : withRenderedWorkspace(raw, renderedFor))) as A;
const { signOutAction } = consoleActions;
const switchWorkspaceAction = fromPage(consoleActions.switchWorkspaceAction);
const createStoreAction = fromPage(storeActions.createStoreAction);
const createDefinitionAction = fromPage(definitionActions.createDefinitionAction);
const updateDefinitionAction = fromPage(definitionActions.updateDefinitionAction);
const createApiKeyAction = fromPage(keyActions.createApiKeyAction);
const revokeApiKeyAction = fromPage(keyActions.revokeApiKeyAction);
const createTriggerAction = fromPage(triggerActions.createTriggerAction);
const updateTriggerAction = fromPage(triggerActions.updateTriggerAction);
const deleteTriggerAction = fromPage(triggerActions.deleteTriggerAction);
const simulateConditionAction = fromPage(triggerActions.simulateConditionAction);
const createStoreWithDefinitionAction = fromPage(meterInlineActions.createStoreWithDefinitionAction);
const createMeterAction = fromPage(meterActions.createMeterAction);
const saveMeterAction = fromPage(meterActions.saveMeterAction);
const restoreMeterVersionAction = fromPage(meterActions.restoreMeterVersionAction);
const previewMeterAction = fromPage(meterActions.previewMeterAction);
const estimateRunAction = fromPage(runActions.estimateRunAction);
const startRunAction = fromPage(runActions.startRunAction);
const cancelRunAction = fromPage(runActions.cancelRunAction);
const confirmBackfillAction = fromPage(backfillActions.confirmBackfillAction);
const undoBackfillAction = fromPage(backfillActions.undoBackfillAction);
const createEndpointAction = fromPage(notificationActions.createEndpointAction);
const updateEndpointAction = fromPage(notificationActions.updateEndpointAction);
const setEndpointActiveAction = fromPage(notificationActions.setEndpointActiveAction);
const rotateSecretAction = fromPage(notificationActions.rotateSecretAction);
const deleteEndpointAction = fromPage(notificationActions.deleteEndpointAction);
const resendDeliveryAction = fromPage(notificationActions.resendDeliveryAction);
const createConnectorAction = fromPage(connectorActions.createConnectorAction);
const setConnectorStateAction = fromPage(connectorActions.setConnectorStateAction);
const deleteConnectorAction = fromPage(connectorActions.deleteConnectorAction);
const generateActivityAction = fromPage(connectorActions.generateActivityAction);
const { signInAction } = await import('@/app/sign-in/actions');
const { getPrisma } = await import('@/lib/db/prisma');
const { createTrigger } = await import('@/lib/custom-events/triggers/save-trigger');
const { createMeter } = await import('@/lib/meters/repository');
const { resolveUserWorkspace } = await import('@/lib/workspaces/workspace-context');
const { makeCopyMeter } = await import('@/lib/testing/run-fixtures');
const { startRun } = await import('@/lib/runs/start-run');
const { readActivity } = await import('@/lib/event-store/store-status');
const { getPool } = await import('@/lib/db/pool');
const { stopRunQueue } = await import('@/lib/runs/queue');
const { appendEvents } = await import('@/lib/event-store/append-events');
const { previewBackfill } = await import('@/lib/backfills/preview-backfill');

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;

/** Signs in as `user` on a page rendered for their current workspace (their first, by name). */
async function as(user: { id: string; email: string } | null) {
  request.jar.clear();
  request.headers = new Headers({ 'x-forwarded-for': unique('ip') });
  renderedFor = undefined;
  if (!user) return;
  request.headers.set('cookie', await sessionCookie(user.email));
  renderedFor = (await resolveUserWorkspace(getPrisma(), { id: user.id, email: user.email, name: '' }, undefined))!.workspaceId;
}

const redirected = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no redirect',
    (error: { digest?: string }) => (String(error?.digest).startsWith('NEXT_REDIRECT') ? 'redirect' : error),
  );

/** A valid definition shaped like the factories' one (id string, at datetime), plus `extra` fields. */
const definitionInput = (extra: { name: string; type: string; required: boolean }[] = [], name = unique('Def')) => ({
  name,
  eventIdField: 'id',
  eventTimeField: 'at',
  fields: [{ name: 'id', type: 'string', required: true }, { name: 'at', type: 'datetime', required: true }, ...extra],
});

/** A trigger as the form sends it: text fields, the active checkbox as "on", the samples as JSON text. */
const triggerForm = (overrides: Record<string, string> = {}) => ({
  eventType: `InvoicePosted_${unique('t').slice(2).replace(/-/g, '')}`,
  baseObject: 'Invoice',
  condition: "changed('Status') && Invoice.Status == 'Posted'",
  description: 'An invoice was posted.',
  active: 'on',
  samples: JSON.stringify([{ name: 'posted', changeType: 'UPDATE', current: { Status: 'Posted' }, previous: { Status: 'Draft' }, expected: true }]),
  ...overrides,
});

const emptyGraph = { nodes: [], edges: [] };

/** Every server action, each with the refusals it must make. A new action without an entry fails discovery. */
const ACTIONS = [
  'cancelRunAction',
  'confirmBackfillAction',
  'createApiKeyAction',
  'createConnectorAction',
  'createDefinitionAction',
  'createEndpointAction',
  'createMeterAction',
  'createStoreAction',
  'createStoreWithDefinitionAction',
  'createTriggerAction',
  'deleteConnectorAction',
  'deleteEndpointAction',
  'deleteTriggerAction',
  'estimateRunAction',
  'generateActivityAction',
  'previewMeterAction',
  'resendDeliveryAction',
  'restoreMeterVersionAction',
  'revokeApiKeyAction',
  'rotateSecretAction',
  'saveMeterAction',
  'setConnectorStateAction',
  'setEndpointActiveAction',
  'signInAction',
  'signOutAction',
  'simulateConditionAction',
  'startRunAction',
  'switchWorkspaceAction',
  'undoBackfillAction',
  'updateDefinitionAction',
  'updateEndpointAction',
  'updateTriggerAction',
];

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
});
beforeEach(() => as(null));
afterAll(async () => {
  await as(null);
  await stopRunQueue();
});

describe('server actions', () => {
  it('are all covered here', async () => {
    const found: string[] = [];
    // actions.ts, and feature files beside it such as meters/inline-actions.ts.
    for (const file of findFiles('app', /(^|-)actions\.ts$/)) {
      const mod = await import(/* @vite-ignore */ path.resolve(file));
      found.push(...Object.keys(mod).filter((k) => typeof mod[k] === 'function'));
    }
    expect(found.sort()).toEqual(ACTIONS);
  });

  it.each([
    ['createStoreAction', () => createStoreAction(null, { name: 'x', definitionId: a.definition.id })],
    ['createApiKeyAction', () => createApiKeyAction(null, { name: 'x', scopes: ['stores:read'] })],
    ['revokeApiKeyAction', () => revokeApiKeyAction(null, { id: a.store.id })],
    ['switchWorkspaceAction', () => switchWorkspaceAction(null, { workspaceId: a.workspace.id })],
    ['createDefinitionAction', () => createDefinitionAction(null, definitionInput())],
    ['updateDefinitionAction', () => updateDefinitionAction(null, { ...definitionInput(), id: a.definition.id })],
    ['createTriggerAction', () => createTriggerAction(null, triggerForm())],
    ['updateTriggerAction', () => updateTriggerAction(null, { ...triggerForm(), id: a.workspace.id })],
    ['deleteTriggerAction', () => deleteTriggerAction(null, { id: a.workspace.id })],
    ['simulateConditionAction', () => simulateConditionAction(null, { baseObject: 'Invoice', condition: 'true', days: 7 })],
    ['createStoreWithDefinitionAction', () => createStoreWithDefinitionAction(null, { name: 'x', definition: definitionInput() })],
    ['createMeterAction', () => createMeterAction(null, { name: unique('m') })],
    ['saveMeterAction', () => saveMeterAction(null, { meterId: a.workspace.id, baseVersion: 0, graph: emptyGraph })],
    ['restoreMeterVersionAction', () => restoreMeterVersionAction(null, { meterId: a.workspace.id, version: 1, baseVersion: 1 })],
    ['previewMeterAction', () => previewMeterAction(null, { meterId: a.workspace.id, graph: emptyGraph })],
    ['estimateRunAction', () => estimateRunAction(null, { meterId: a.workspace.id, scope: { kind: 'all' } })],
    ['startRunAction', () => startRunAction(null, { meterId: a.workspace.id, scope: { kind: 'all' }, idempotencyKey: unique('key') })],
    ['cancelRunAction', () => cancelRunAction(null, { runId: a.workspace.id })],
    ['confirmBackfillAction', () => confirmBackfillAction(null, { backfillId: a.workspace.id })],
    ['undoBackfillAction', () => undoBackfillAction(null, { backfillId: a.workspace.id })],
    ['createEndpointAction', () => createEndpointAction(null, { channel: 'webhook', eventType: 'InvoicePosted', url: 'https://example.com/h' })],
    ['updateEndpointAction', () => updateEndpointAction(null, { id: a.workspace.id, channel: 'webhook', eventType: 'InvoicePosted', url: 'https://example.com/h' })],
    ['setEndpointActiveAction', () => setEndpointActiveAction(null, { id: a.workspace.id, active: 'false' })],
    ['rotateSecretAction', () => rotateSecretAction(null, { id: a.workspace.id })],
    ['deleteEndpointAction', () => deleteEndpointAction(null, { id: a.workspace.id })],
    ['resendDeliveryAction', () => resendDeliveryAction(null, { id: a.workspace.id })],
    ['createConnectorAction', () => createConnectorAction(null, { name: 'x', sourceUrl: 'postgresql://u@h/db', mappings: 'invoices -> Invoice' })],
    ['setConnectorStateAction', () => setConnectorStateAction(null, { id: a.workspace.id, state: 'stopped' })],
    ['deleteConnectorAction', () => deleteConnectorAction(null, { id: a.workspace.id })],
    ['generateActivityAction', () => generateActivityAction(null, { id: a.workspace.id })],
  ])('%s refuses a caller without a session, before reading input', async (_name, call) => {
    expect(await call()).toMatchObject({ ok: false, message: 'Your session has ended. Sign in again to continue.', fieldErrors: {} });
  });
});

describe('createStoreAction', () => {
  it("refuses a viewer with a message naming the role and who may", async () => {
    await as(a.viewer);
    const result = await createStoreAction(null, { name: unique('s'), definitionId: a.definition.id });
    expect(result).toMatchObject({
      ok: false,
      message: `You are a viewer in ${a.workspace.name}: only owners and editors can create or change event stores.`,
      fieldErrors: {},
    });
  });

  it("cannot use another workspace's definition, even with its exact id, and creates nothing there", async () => {
    await as(a.editor);
    const name = unique('s');
    const result = await createStoreAction(null, { name, definitionId: b.definition.id });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors.definitionId).toEqual(['Choose one of this workspace’s event definitions.']);
    expect(await getPrisma().eventStore.count({ where: { name } })).toBe(0);
  });

  it('creates a store for an editor, audited, and refuses a duplicate name on the field', async () => {
    await as(a.editor);
    const name = unique('s');
    const created = await createStoreAction(null, { name, definitionId: a.definition.id });
    expect(created).toMatchObject({ ok: true, data: { name } });
    const again = await createStoreAction(null, { name, definitionId: a.definition.id });
    expect(!again.ok && again.fieldErrors.name).toEqual(['Choose a name no other store in this workspace has.']);
    const audit = await getPrisma().auditEvent.findFirst({ where: { workspaceId: a.workspace.id, action: 'store.created', actorLabel: a.editor.email } });
    expect(audit?.details).toMatchObject({ name });
  });
});

describe('createStoreWithDefinitionAction (the meter canvas: a new store with a new definition)', () => {
  const countBoth = async (store: string, definition: string) => [
    await getPrisma().eventStore.count({ where: { name: store } }),
    await getPrisma().eventDefinition.count({ where: { name: definition } }),
  ];

  it('refuses a viewer with a message naming the role, and creates neither', async () => {
    await as(a.viewer);
    const [store, definition] = [unique('s'), unique('Def')];
    const result = await createStoreWithDefinitionAction(null, { name: store, definition: definitionInput([], definition) });
    expect(result).toEqual({ ok: false, message: `You are a viewer in ${a.workspace.name}: only owners and editors can create or change event stores.`, fieldErrors: {} });
    expect(await countBoth(store, definition)).toEqual([0, 0]);
  });

  it('creates both for an editor in one step, each audited, and the store uses the definition', async () => {
    await as(a.editor);
    const [store, definition] = [unique('s'), unique('Def')];
    const result = await createStoreWithDefinitionAction(null, { name: store, definition: definitionInput([], definition) });
    expect(result).toMatchObject({ ok: true, data: { name: store } });
    const row = await getPrisma().eventStore.findFirstOrThrow({ where: { name: store, workspaceId: a.workspace.id }, include: { definition: true } });
    expect(row.definition.name).toBe(definition);
    expect(result.ok && result.data.definitionId).toBe(row.definitionId);
    const actions = await getPrisma().auditEvent.findMany({ where: { targetId: { in: [row.id, row.definitionId] } }, orderBy: { id: 'asc' } });
    expect(actions.map((e) => e.action)).toEqual(['definition.created', 'store.created']);
  });

  it('leaves no definition behind when the store name is taken, and no store when the definition name is', async () => {
    await as(a.editor);
    const definition = unique('Def');
    const takenStore = await createStoreWithDefinitionAction(null, { name: a.store.name, definition: definitionInput([], definition) });
    expect(!takenStore.ok && takenStore.fieldErrors).toEqual({ name: ['Choose a name no other store in this workspace has.'] });
    expect(await getPrisma().eventDefinition.count({ where: { name: definition } })).toBe(0);

    const store = unique('s');
    const takenDefinition = await createStoreWithDefinitionAction(null, { name: store, definition: definitionInput([], a.definition.name) });
    expect(!takenDefinition.ok && takenDefinition.fieldErrors).toEqual({ 'definition.name': ['Choose a name no other event definition in this workspace has.'] });
    expect(await getPrisma().eventStore.count({ where: { name: store } })).toBe(0);
  });

  it('names the definition field that needs attention, e.g. a missing event time', async () => {
    await as(a.editor);
    const result = await createStoreWithDefinitionAction(null, { name: unique('s'), definition: { ...definitionInput(), fields: [{ name: 'id', type: 'string', required: true }], eventTimeField: '' } });
    expect(!result.ok && result.fieldErrors).toEqual({
      'definition.eventTimeField': ['Add a required datetime field for the event time: a store cannot be created from a definition without one.'],
    });
  });

  it('is refused from a page rendered for another workspace', async () => {
    const { makeUser } = await import('@/lib/testing/factories');
    await as(await makeUser([{ workspaceId: a.workspace.id, role: 'editor' }, { workspaceId: b.workspace.id, role: 'editor' }]));
    renderedFor = a.workspace.id;
    request.jar.set('umc_workspace', b.workspace.id);
    const [store, definition] = [unique('s'), unique('Def')];
    const result = await createStoreWithDefinitionAction(null, { name: store, definition: definitionInput([], definition) });
    expect(!result.ok && result.message).toMatch(/^This page was opened for workspace/);
    expect(await countBoth(store, definition)).toEqual([0, 0]);
  });
});

describe('API key actions', () => {
  it('refuse editors and viewers', async () => {
    for (const user of [a.editor, a.viewer]) {
      await as(user);
      const result = await createApiKeyAction(null, { name: 'k', scopes: ['stores:read'] });
      expect(!result.ok && result.message).toMatch(/only owners can create or revoke API keys/);
    }
  });

  it("cannot revoke another workspace's key by its id; that key keeps working", async () => {
    const { apiKey } = await makeApiKey(b.workspace, b.owner, ['stores:read']);
    await as(a.owner);
    expect(await revokeApiKeyAction(null, { id: apiKey.id })).toMatchObject({ ok: false, message: 'That API key was not found.', fieldErrors: {} });
    expect((await getPrisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).revokedAt).toBeNull();
  });

  it('an owner creates a key (shown once, audited) and revokes it', async () => {
    await as(a.owner);
    const created = await createApiKeyAction(null, { name: 'Gateway', scopes: ['stores:read', 'events:write'] });
    expect(created.ok && created.data.key).toMatch(/^umc_[A-Za-z0-9_-]{43}$/);
    const row = await getPrisma().apiKey.findFirstOrThrow({ where: { workspaceId: a.workspace.id, name: 'Gateway' } });
    expect(await revokeApiKeyAction(null, { id: row.id })).toEqual({ ok: true, data: { id: row.id } });
    const actions = await getPrisma().auditEvent.findMany({ where: { targetId: row.id }, orderBy: { id: 'asc' } });
    expect(actions.map((e) => e.action)).toEqual(['api_key.created', 'api_key.revoked']);
  });
});

describe('switchWorkspaceAction', () => {
  it("refuses a workspace the user does not belong to, even by its exact id", async () => {
    await as(a.owner);
    expect(await switchWorkspaceAction(null, { workspaceId: b.workspace.id })).toMatchObject({
      ok: false,
      message: 'You are not a member of that workspace.',
      fieldErrors: {},
    });
    expect(request.jar.size).toBe(0);
  });

  it('switches to a workspace the user belongs to', async () => {
    const { makeUser } = await import('@/lib/testing/factories');
    const both = await makeUser([
      { workspaceId: a.workspace.id, role: 'viewer' },
      { workspaceId: b.workspace.id, role: 'editor' },
    ]);
    await as(both);
    expect(await redirected(switchWorkspaceAction(null, { workspaceId: b.workspace.id }))).toBe('redirect');
    expect(request.jar.get('umc_workspace')).toBe(b.workspace.id);
  });
});

describe('a form from a page rendered for another workspace than the current one', () => {
  // Signed in to both workspaces, with the page rendered for a; "another tab" then switches to b.
  async function staleTab(roleInA: 'editor' | 'owner', roleInB: 'viewer' | 'editor') {
    const { makeUser } = await import('@/lib/testing/factories');
    const user = await makeUser([
      { workspaceId: a.workspace.id, role: roleInA },
      { workspaceId: b.workspace.id, role: roleInB },
    ]);
    await as(user);
    renderedFor = a.workspace.id;
    request.jar.set('umc_workspace', b.workspace.id);
    return user;
  }
  const stale = () =>
    `This page was opened for workspace ${a.workspace.name}; you have since switched to ${b.workspace.name} in another tab. Nothing was changed. Reload to continue.`;

  it('is refused with a message naming both workspaces, and nothing is created in either', async () => {
    await staleTab('editor', 'editor');
    const name = unique('s');
    expect(await createStoreAction(null, { name, definitionId: a.definition.id })).toEqual({ ok: false, message: stale(), fieldErrors: {} });
    expect(await getPrisma().eventStore.count({ where: { name } })).toBe(0);
    const definition = unique('Def');
    expect(await createDefinitionAction(null, definitionInput([], definition))).toEqual({ ok: false, message: stale(), fieldErrors: {} });
    expect(await getPrisma().eventDefinition.count({ where: { name: definition } })).toBe(0);
  });

  it('is refused before the role in the new workspace is looked at', async () => {
    const user = await staleTab('owner', 'viewer');
    const { apiKey } = await makeApiKey(a.workspace, a.owner, ['stores:read']);
    expect(await revokeApiKeyAction(null, { id: apiKey.id })).toEqual({ ok: false, message: stale(), fieldErrors: {} });
    expect((await getPrisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).revokedAt).toBeNull();
    expect(await getPrisma().auditEvent.count({ where: { actorLabel: user.email } })).toBe(0);
  });

  it('works again once the page is rendered for the current workspace', async () => {
    await staleTab('editor', 'editor');
    renderedFor = b.workspace.id;
    const name = unique('s');
    expect(await createStoreAction(null, { name, definitionId: b.definition.id })).toMatchObject({ ok: true, data: { name } });
    expect(await getPrisma().eventStore.count({ where: { name, workspaceId: b.workspace.id } })).toBe(1);
  });

  it('a submission that does not say which workspace its page was for is refused', async () => {
    await as(a.editor);
    const name = unique('s');
    expect(await storeActions.createStoreAction(null, { name, definitionId: a.definition.id })).toEqual({
      ok: false,
      message: 'This form did not say which workspace it was opened for, so nothing was changed. Reload the page to continue.',
      fieldErrors: {},
    });
    expect(await getPrisma().eventStore.count({ where: { name } })).toBe(0);
  });

  it('switching workspace from a stale page still switches: it names its target', async () => {
    await staleTab('editor', 'editor');
    expect(await redirected(switchWorkspaceAction(null, { workspaceId: a.workspace.id }))).toBe('redirect');
    expect(request.jar.get('umc_workspace')).toBe(a.workspace.id);
  });
});

describe('sign-in and sign-out', () => {
  it('signs in with the right password and ends the session on sign-out', async () => {
    await as(null);
    expect(await redirected(signInAction(null, { email: a.viewer.email, password: TEST_PASSWORD }))).toBe('redirect');
    await as(a.viewer);
    const before = await getPrisma().session.count({ where: { userId: a.viewer.id } });
    expect(await redirected(signOutAction())).toBe('redirect');
    expect(await getPrisma().session.count({ where: { userId: a.viewer.id } })).toBe(before - 1);
  });

  it('answers a wrong password and an unknown email alike, and locks after repeated failures', async () => {
    await as(null);
    const wrong = await signInAction(null, { email: a.editor.email, password: 'not the password' });
    const unknown = await signInAction(null, { email: `${unique('nobody')}@example.com`, password: 'whatever123' });
    expect(wrong).toMatchObject({ ok: false, message: 'The email or password is not right. Check both and try again.' });
    expect(!unknown.ok && unknown.message).toBe(!wrong.ok && wrong.message);
    for (let i = 0; i < 4; i++) await signInAction(null, { email: a.editor.email, password: 'not the password' });
    const locked = await signInAction(null, { email: a.editor.email, password: TEST_PASSWORD });
    expect(!locked.ok && locked.message).toMatch(/Too many failed sign-in attempts from this account\. Try again after/);
  });

  it('names the field for malformed input', async () => {
    const result = await signInAction(null, { email: 'not-an-email', password: '' });
    expect(!result.ok && result.fieldErrors).toEqual({ email: ['Enter the email address you sign in with.'], password: ['Enter your password.'] });
  });
});

describe('event definition actions', () => {
  it('refuse a viewer with a message naming the role and who may, and change nothing', async () => {
    await as(a.viewer);
    const name = unique('Def');
    const message = `You are a viewer in ${a.workspace.name}: only owners and editors can create or change event definitions.`;
    expect(await createDefinitionAction(null, definitionInput([], name))).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await updateDefinitionAction(null, { ...definitionInput([], name), id: a.definition.id })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await getPrisma().eventDefinition.count({ where: { name } })).toBe(0);
    expect((await getPrisma().eventDefinition.findUniqueOrThrow({ where: { id: a.definition.id } })).name).toBe(a.definition.name);
  });

  it("cannot edit another workspace's definition, even by its exact id, and changes nothing there", async () => {
    const before = await getPrisma().eventDefinition.findUniqueOrThrow({ where: { id: b.definition.id } });
    await as(a.editor);
    const result = await updateDefinitionAction(null, { ...definitionInput(), id: b.definition.id });
    expect(result).toMatchObject({ ok: false, message: 'That event definition was not found.', fieldErrors: {} });
    expect(await getPrisma().eventDefinition.findUniqueOrThrow({ where: { id: b.definition.id } })).toEqual(before);
  });

  it('refuses a breaking change to a definition a store uses, naming the store', async () => {
    await as(a.editor);
    const input = { ...definitionInput(), fields: [{ name: 'id', type: 'integer', required: true }, { name: 'at', type: 'datetime', required: true }] };
    const result = await updateDefinitionAction(null, { ...input, id: a.definition.id, name: a.definition.name });
    expect(result.ok).toBe(false);
    // Other tests here add stores to the same definition; each is named, this file's own store among them.
    const message = !result.ok ? result.message : '';
    expect(message).toMatch(/^This change would invalidate events already stored in [^:]+: changes “id” from string to integer\. Create a new definition instead/);
    expect(message.split(':')[0]).toContain(a.store.name);
    expect((await getPrisma().eventDefinition.findUniqueOrThrow({ where: { id: a.definition.id } })).fields).toEqual(a.definition.fields);
  });

  it('saves a compatible change to a used definition, raises its version and goes back to the list', async () => {
    await as(a.editor);
    const { version } = await getPrisma().eventDefinition.findUniqueOrThrow({ where: { id: a.definition.id } });
    const input = { ...definitionInput([{ name: 'region', type: 'string', required: false }], a.definition.name), id: a.definition.id, expectedVersion: version };
    expect(await redirected(updateDefinitionAction(null, input))).toBe('redirect');
    const saved = await getPrisma().eventDefinition.findUniqueOrThrow({ where: { id: a.definition.id } });
    expect(saved.version).toBe(version + 1);
    expect(saved.fields).toContainEqual({ name: 'region', type: 'string', required: false, description: '', indexed: false });
    const audit = await getPrisma().auditEvent.findFirst({ where: { targetId: a.definition.id, action: 'definition.updated', actorLabel: a.editor.email } });
    expect(audit?.details).toEqual({ name: a.definition.name, version: version + 1 });
  });

  it('creates a definition for an editor; one without an event-time field is refused on that field', async () => {
    await as(a.editor);
    const name = unique('Def');
    expect(await redirected(createDefinitionAction(null, definitionInput([], name)))).toBe('redirect');
    expect(await getPrisma().eventDefinition.count({ where: { workspaceId: a.workspace.id, name } })).toBe(1);
    const withoutTime = await createDefinitionAction(null, { ...definitionInput(), fields: [{ name: 'id', type: 'string', required: true }], eventTimeField: '' });
    expect(!withoutTime.ok && withoutTime.fieldErrors).toEqual({
      eventTimeField: ['Add a required datetime field for the event time: a store cannot be created from a definition without one.'],
    });
  });
});

describe('trigger actions', () => {
  const saveIn = async (tenant: Tenant) => {
    const { id } = await createTrigger(getPrisma(), scopeOf(tenant.workspace, tenant.owner), { ...triggerForm(), active: true, samples: [] });
    return id;
  };
  const trigger = (id: string) => getPrisma().trigger.findUnique({ where: { id } });

  it('refuse a viewer with a message naming the role and who may, and change nothing', async () => {
    const id = await saveIn(a);
    const before = await trigger(id);
    await as(a.viewer);
    const message = `You are a viewer in ${a.workspace.name}: only owners and editors can create or change triggers.`;
    const form = triggerForm();
    expect(await createTriggerAction(null, form)).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await updateTriggerAction(null, { ...triggerForm({ description: 'Changed.' }), id })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await deleteTriggerAction(null, { id })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await getPrisma().trigger.count({ where: { eventType: form.eventType } })).toBe(0);
    expect(await trigger(id)).toEqual(before);
  });

  it("cannot edit or delete another workspace's trigger, even by its exact id, and changes nothing there", async () => {
    const theirs = await saveIn(b);
    const before = await trigger(theirs);
    await as(a.editor);
    const notFound = { ok: false, message: 'That trigger was not found.', fieldErrors: {} };
    expect(await updateTriggerAction(null, { ...triggerForm({ description: 'Hijacked.' }), id: theirs })).toMatchObject(notFound);
    expect(await deleteTriggerAction(null, { id: theirs })).toMatchObject(notFound);
    expect(await deleteTriggerAction(null, { id: 'not-a-uuid' })).toMatchObject(notFound);
    expect(await trigger(theirs)).toEqual(before);
    expect(await getPrisma().auditEvent.count({ where: { targetId: theirs, workspaceId: a.workspace.id } })).toBe(0);
  });

  it('refuses a condition with errors, naming the characters, and gives the form its values back', async () => {
    await as(a.editor);
    const form = triggerForm({ condition: "changed('Status') && Invoice.Stauts == 'Posted'" });
    const result = await createTriggerAction(null, form);
    expect(result).toMatchObject({
      ok: false,
      message: 'The condition has an error; fix it before saving.',
      fieldErrors: { condition: ['Character 30-35: Invoice has no field named “Stauts”. Did you mean “Status”?'] },
      values: { condition: form.condition, eventType: form.eventType },
    });
    expect(await getPrisma().trigger.count({ where: { eventType: form.eventType } })).toBe(0);
  });

  it('creates from a submitted form, saves a change with a raised version, audited, and deletes; each goes back to the list', async () => {
    await as(a.editor);
    const form = new FormData();
    for (const [key, value] of Object.entries(triggerForm())) form.set(key, value);
    expect(await redirected(createTriggerAction(null, form))).toBe('redirect');
    const created = await getPrisma().trigger.findFirstOrThrow({ where: { workspaceId: a.workspace.id, eventType: String(form.get('eventType')) } });
    expect(created).toMatchObject({ version: 1, active: true, baseObject: 'Invoice', samples: JSON.parse(String(form.get('samples'))) });

    // An unticked checkbox is absent from the form: the trigger becomes inactive.
    form.delete('active');
    form.set('description', 'Edited.');
    form.set('id', created.id);
    form.set('expectedVersion', '1');
    expect(await redirected(updateTriggerAction(null, form))).toBe('redirect');
    expect(await trigger(created.id)).toMatchObject({ version: 2, description: 'Edited.', active: false });
    const updated = await getPrisma().auditEvent.findFirst({ where: { targetId: created.id, action: 'trigger.updated', actorLabel: a.editor.email } });
    expect(updated?.details).toMatchObject({ eventType: created.eventType, version: 2 });

    expect(await redirected(deleteTriggerAction(null, { id: created.id }))).toBe('redirect');
    expect(await trigger(created.id)).toBeNull();
    const trail = await getPrisma().auditEvent.findMany({ where: { targetId: created.id }, orderBy: { id: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual(['trigger.created', 'trigger.updated', 'trigger.deleted']);
  });

  it('simulates a draft condition over the caller’s workspace only, and refuses one with errors naming the characters', async () => {
    const { receiveChanges } = await import('@/lib/custom-events/changes/receive-changes');
    const { getPool } = await import('@/lib/db/pool');
    const recordId = unique('sim');
    await receiveChanges(getPool(), scopeOf(b.workspace, b.owner), [{ object: 'Invoice', recordId, changeType: 'INSERT', current: { Status: 'Draft' }, time: new Date().toISOString() }]);
    await as(a.viewer);
    const result = await simulateConditionAction(null, { baseObject: 'Invoice', condition: 'true', days: 1 });
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain(recordId);
    const refused = await simulateConditionAction(null, { baseObject: 'Invoice', condition: "Invoice.Stauts == 'x'", days: 1 });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { condition: ['Character 9-14: Invoice has no field named “Stauts”. Did you mean “Status”?'] } });
  });
});

describe('connector actions', () => {
  // A connector row as createConnector would leave it (stopped: no runner should try its made-up source).
  const connectorIn = async (tenant: Tenant) =>
    (
      await getPrisma().connector.create({
        data: { workspaceId: tenant.workspace.id, name: unique('c'), sourceUrl: 'postgresql://u:secret@127.0.0.1:1/db', publication: unique('p'), slot: unique('s'), mappings: [], desiredState: 'stopped' },
      })
    ).id;
  const connector = (id: string) => getPrisma().connector.findUnique({ where: { id } });

  it('refuse a viewer with a message naming the role and who may, and change nothing', async () => {
    const id = await connectorIn(a);
    const before = await connector(id);
    await as(a.viewer);
    const message = `You are a viewer in ${a.workspace.name}: only owners and editors can create, start, stop or delete change-capture connectors.`;
    expect(await createConnectorAction(null, { name: 'x', sourceUrl: 'postgresql://u@127.0.0.1:1/db', mappings: 'invoices -> Invoice' })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await setConnectorStateAction(null, { id, state: 'stopped' })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await deleteConnectorAction(null, { id })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await generateActivityAction(null, { id })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await connector(id)).toEqual(before);
  });

  it("cannot start, stop, delete or write to another workspace's connector, even by its exact id", async () => {
    const theirs = await connectorIn(b);
    const before = await connector(theirs);
    await as(a.editor);
    const notFound = { ok: false, message: 'That connector was not found.', fieldErrors: {} };
    expect(await setConnectorStateAction(null, { id: theirs, state: 'stopped' })).toMatchObject(notFound);
    expect(await deleteConnectorAction(null, { id: theirs })).toMatchObject(notFound);
    expect(await generateActivityAction(null, { id: theirs })).toMatchObject(notFound);
    expect(await setConnectorStateAction(null, { id: 'not-a-uuid', state: 'running' })).toMatchObject(notFound);
    expect(await connector(theirs)).toEqual(before);
  });

  it('refuses a source it cannot reach, naming the field, without echoing the password', async () => {
    await as(a.editor);
    const result = await createConnectorAction(null, { name: unique('c'), sourceUrl: 'postgresql://u@127.0.0.1:1/db', password: 'hunter2', mappings: 'invoices -> Invoice' });
    expect(result).toMatchObject({ ok: false, fieldErrors: { sourceUrl: [expect.stringMatching(/^Cannot connect: nothing answers at that host and port/)] } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});

describe('meter actions', () => {
  const meterIn = (tenant: Tenant) => createMeter(scopeOf(tenant.workspace, tenant.owner), { name: unique('Meter') });
  const stored = async (meterId: string) => ({
    meter: await getPrisma().meter.findUnique({ where: { id: meterId } }),
    versions: await getPrisma().meterVersion.count({ where: { meterId } }),
  });

  it('refuse a viewer, who may still preview, and change nothing', async () => {
    const { id } = await meterIn(a);
    const before = await stored(id);
    await as(a.viewer);
    const message = `You are a viewer in ${a.workspace.name}: only owners and editors can save meters.`;
    expect(await createMeterAction(null, { name: unique('Meter') })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await saveMeterAction(null, { meterId: id, baseVersion: 0, graph: emptyGraph })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await restoreMeterVersionAction(null, { meterId: id, version: 1, baseVersion: 0 })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await previewMeterAction(null, { meterId: id, graph: emptyGraph })).toMatchObject({ ok: true });
    expect(await stored(id)).toEqual(before);
  });

  it("cannot save, restore or preview another workspace's meter, even by its exact id", async () => {
    const { id: theirs } = await meterIn(b);
    const before = await stored(theirs);
    await as(a.editor);
    const notFound = { ok: false, message: 'That meter was not found.', fieldErrors: {} };
    expect(await saveMeterAction(null, { meterId: theirs, baseVersion: 0, graph: emptyGraph })).toMatchObject(notFound);
    expect(await restoreMeterVersionAction(null, { meterId: theirs, version: 1, baseVersion: 0 })).toMatchObject(notFound);
    expect(await previewMeterAction(null, { meterId: theirs, graph: emptyGraph })).toMatchObject(notFound);
    expect(await saveMeterAction(null, { meterId: 'not-a-uuid', baseVersion: 0, graph: emptyGraph })).toMatchObject(notFound);
    expect(await stored(theirs)).toEqual(before);
    expect(await getPrisma().auditEvent.count({ where: { targetId: theirs, workspaceId: a.workspace.id } })).toBe(0);
  });

  it('saves a valid graph for an editor, and refuses one that breaks a rule with every problem, storing nothing', async () => {
    const { id } = await meterIn(a);
    const target = await getPrisma().eventStore.create({ data: { workspaceId: a.workspace.id, definitionId: a.definition.id, name: unique('target') } });
    const graph = (targetStore: string) => ({
      nodes: [
        { id: 'src', kind: 'source.eventStore', label: '', position: { x: 0, y: 0 }, config: { storeId: a.store.id } },
        { id: 'dst', kind: 'target.eventStore', label: '', position: { x: 200, y: 0 }, config: { storeId: targetStore, mapping: { id: 'id', at: 'at' } } },
      ],
      edges: [{ id: 'e1', source: 'src', sourcePort: 'out', target: 'dst', targetPort: 'in' }],
    });
    await as(a.editor);
    const refused = await saveMeterAction(null, { meterId: id, baseVersion: 0, graph: graph(a.store.id) });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('was not saved') });
    const problem = !refused.ok ? refused.problems?.find((p) => p.code === 'STORE_SOURCE_AND_TARGET') : undefined;
    expect(problem && [...problem.nodeIds].sort()).toEqual(['dst', 'src']);
    expect(await stored(id)).toMatchObject({ meter: { version: 0 }, versions: 0 });
    expect(await saveMeterAction(null, { meterId: id, baseVersion: 0, graph: graph(target.id) })).toEqual({ ok: true, data: { version: 1 } });
    const stale = await saveMeterAction(null, { meterId: id, baseVersion: 0, graph: graph(target.id) });
    expect(!stale.ok && stale.message).toMatch(new RegExp(`^${a.editor.email} saved version 1 of`));
  });

  it('creates a meter for an editor and opens it; a duplicate name is refused on the field', async () => {
    await as(a.editor);
    const name = unique('Meter');
    expect(await redirected(createMeterAction(null, { name, description: 'Calls per day.' }))).toBe('redirect');
    expect(await getPrisma().meter.count({ where: { workspaceId: a.workspace.id, name, version: 0 } })).toBe(1);
    const again = await createMeterAction(null, { name });
    expect(!again.ok && again.fieldErrors.name).toEqual(['Choose a name no other meter in this workspace has.']);
  });
});

describe('run actions', () => {
  const runsOf = async (meterId: string) => (await getPool().query(`SELECT id FROM meter_runs WHERE meter_id = $1`, [meterId])).rowCount;

  it('refuse a viewer, who may still see the estimate, and start or cancel nothing', async () => {
    const { meter, targetStoreId } = await makeCopyMeter(a);
    const { runId } = await startRun(scopeOf(a.workspace, a.owner), { meterId: meter.id, scope: { kind: 'all' }, idempotencyKey: unique('key') });
    await as(a.viewer);
    const message = `You are a viewer in ${a.workspace.name}: only owners and editors can run meters.`;
    expect(await startRunAction(null, { meterId: meter.id, scope: { kind: 'all' }, idempotencyKey: unique('key') })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await cancelRunAction(null, { runId })).toEqual({ ok: false, message, fieldErrors: {} });
    expect(await estimateRunAction(null, { meterId: meter.id, scope: { kind: 'all' } })).toMatchObject({ ok: true, data: { kind: 'exact' } });
    expect(await runsOf(meter.id)).toBe(1);
    expect((await readActivity(getPool(), targetStoreId))!.activity).toBe('writing');
  });

  it("cannot estimate, start or cancel with another workspace's meter or run, even by its exact id", async () => {
    const theirs = await makeCopyMeter(b);
    const { runId } = await startRun(scopeOf(b.workspace, b.owner), { meterId: theirs.meter.id, scope: { kind: 'all' }, idempotencyKey: unique('key') });
    await as(a.editor);
    const meterNotFound = { ok: false, message: 'That meter was not found.' };
    expect(await estimateRunAction(null, { meterId: theirs.meter.id, scope: { kind: 'all' } })).toMatchObject(meterNotFound);
    expect(await startRunAction(null, { meterId: theirs.meter.id, scope: { kind: 'all' }, idempotencyKey: unique('key') })).toMatchObject(meterNotFound);
    expect(await cancelRunAction(null, { runId })).toMatchObject({ ok: false, message: 'That run was not found.' });
    expect(await runsOf(theirs.meter.id)).toBe(1);
    expect((await readActivity(getPool(), theirs.targetStoreId))!.activity).toBe('writing');
  });

  it('starts a run from the dialog\'s FormData for an editor (scope as JSON text), once per key, and cancels it', async () => {
    const { meter, targetStoreId } = await makeCopyMeter(a);
    await as(a.editor);
    const form = () => {
      const data = new FormData();
      data.set('meterId', meter.id);
      data.set('scope', JSON.stringify({ kind: 'frame', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', timeZone: 'Europe/Berlin' }));
      data.set('errorPolicy', 'stop');
      data.set('idempotencyKey', 'dialog-opening-1');
      return data;
    };
    const started = await startRunAction(null, form());
    expect(started).toMatchObject({ ok: true, data: { existing: false } });
    const runId = started.ok ? started.data.runId : '';
    expect(await startRunAction(null, form())).toEqual({ ok: true, data: { runId, existing: true } });
    const row = await getPool().query(`SELECT scope, error_policy, dry_run FROM meter_runs WHERE id = $1`, [runId]);
    expect(row.rows[0]).toEqual({ scope: { kind: 'frame', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', timeZone: 'Europe/Berlin' }, error_policy: 'stop', dry_run: false });
    expect(await cancelRunAction(null, { runId })).toEqual({ ok: true, data: { status: 'cancelled' } });
    expect((await readActivity(getPool(), targetStoreId))!.activity).toBe('idle');
  });

  it('starts a File meter with the file from the form, and refuses the form without it on the file field', async () => {
    const { meter } = await makeCopyMeter(a, { source: 'file' });
    await as(a.editor);
    const form = (file?: File) => {
      const data = new FormData();
      data.set('meterId', meter.id);
      data.set('scope', JSON.stringify({ kind: 'file', fileName: 'calls.ndjson' }));
      data.set('idempotencyKey', unique('key'));
      if (file) data.set('file', file);
      return data;
    };
    const missing = await startRunAction(null, form());
    expect(!missing.ok && missing.fieldErrors.file).toEqual(['Choose a file.']);
    const started = await startRunAction(null, form(new File(['{"id":"1","at":"2026-01-01T00:00:00Z"}\n'], 'calls.ndjson')));
    expect(started).toMatchObject({ ok: true, data: { existing: false } });
    const input = await getPool().query(`SELECT file_name, length(content) AS bytes FROM meter_run_inputs WHERE run_id = $1`, [started.ok ? started.data.runId : '']);
    expect(input.rows).toEqual([{ file_name: 'calls.ndjson', bytes: 39 }]);
  });

  it('answers a bad scope on its field, and an end before the start on scope.to, storing nothing', async () => {
    const { meter } = await makeCopyMeter(a);
    await as(a.editor);
    const garbled = await startRunAction(null, { meterId: meter.id, scope: '{nope', idempotencyKey: unique('key') });
    expect(!garbled.ok && garbled.fieldErrors.scope).toEqual(['Choose what the run reads: All time, a time frame, a file, or start the live meter.']);
    const backwards = await startRunAction(null, { meterId: meter.id, scope: { kind: 'frame', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, idempotencyKey: unique('key') });
    expect(!backwards.ok && backwards.fieldErrors['scope.to']).toEqual(['The start must be before the end.']);
    expect(await runsOf(meter.id)).toBe(0);
  });
});

describe('backfill actions', () => {
  /** A store of the tenant with events e1…e3 and a previewed backfill of `ids` (as the backfill page uploads it). */
  async function previewed(tenant: Tenant, ids: string[]) {
    const { makeStore } = await import('@/lib/testing/factories');
    const store = await makeStore(tenant.workspace.id, tenant.definition.id);
    const at = new Date('2026-01-01T00:00:00Z');
    await appendEvents(getPool(), store.id, ['e1', 'e2', 'e3'].map((id) => ({ eventId: id, eventTime: at, payload: { id, at: at.toISOString() } })));
    const file = { name: 'delete.csv', bytes: Buffer.from(['id,at', ...ids.map((id) => `${id},${at.toISOString()}`)].join('\n')) };
    const preview = await previewBackfill(scopeOf(tenant.workspace, tenant.owner), store.id, file);
    return { store, backfillId: preview.id };
  }
  const stored = async (storeId: string) => (await getPool().query(`SELECT event_id FROM events WHERE store_id = $1 ORDER BY event_id`, [storeId])).rows.map((r) => r.event_id);

  it('refuse a viewer with a message naming the role, and delete nothing', async () => {
    const { store, backfillId } = await previewed(a, ['e1']);
    await as(a.viewer);
    for (const action of [confirmBackfillAction, undoBackfillAction]) {
      expect(await action(null, { backfillId })).toEqual({
        ok: false,
        message: `You are a viewer in ${a.workspace.name}: only owners and editors can delete events by backfill or undo a backfill.`,
        fieldErrors: {},
      });
    }
    expect(await stored(store.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it("cannot confirm or undo another workspace's backfill, even by its exact id", async () => {
    const { store, backfillId } = await previewed(b, ['e1']);
    await as(a.editor);
    for (const action of [confirmBackfillAction, undoBackfillAction]) {
      const result = await action(null, { backfillId });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/not found/);
    }
    expect(await stored(store.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('an editor confirms (the store idle again), undoes, and cannot confirm twice', async () => {
    const { store, backfillId } = await previewed(a, ['e1', 'e3']);
    await as(a.editor);
    const confirmed = await confirmBackfillAction(null, { backfillId });
    expect(confirmed).toMatchObject({ ok: true, data: { backfill: { id: backfillId, status: 'completed', deleted: 2 }, storeStatus: 'Orphan' } });
    expect(await stored(store.id)).toEqual(['e2']);
    const again = await confirmBackfillAction(null, { backfillId });
    expect(again.ok).toBe(false);
    expect(await stored(store.id)).toEqual(['e2']);
    const undone = await undoBackfillAction(null, { backfillId });
    expect(undone).toMatchObject({ ok: true, data: { status: 'undone', undo: { restored: 2, skipped: 0 } } });
    expect(await stored(store.id)).toEqual(['e1', 'e2', 'e3']);
  });
});

describe('notification endpoint actions', () => {
  const endpointIn = async (tenant: Tenant) => {
    const eventType = `Posted${unique('n').slice(2).replace(/-/g, '')}`;
    await createTrigger(getPrisma(), scopeOf(tenant.workspace, tenant.owner), { eventType, baseObject: 'Invoice', condition: "Invoice.Status == 'Posted'" });
    return { eventType };
  };

  it('give the new secret once, keep it out of the audit, and refuse a URL outside the policy by its field', async () => {
    const { eventType } = await endpointIn(a);
    await as(a.editor);
    const created = await createEndpointAction(null, { channel: 'webhook', eventType, url: 'https://example.com/hooks' });
    expect(created).toMatchObject({ ok: true, data: { eventType, channel: 'webhook', secret: expect.stringMatching(/^whsec_/) } });
    const id = created.ok ? created.data.id : '';
    const audit = await getPrisma().auditEvent.findMany({ where: { targetId: id }, select: { action: true, details: true } });
    expect(audit.map((e) => e.action)).toEqual(['notification.endpoint.created']);
    expect(JSON.stringify(audit)).not.toContain(created.ok ? created.data.secret!.slice(6) : 'x');
    const refused = await createEndpointAction(null, { channel: 'webhook', eventType, url: 'http://169.254.169.254/latest' });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { url: [expect.stringMatching(/link-local/)] } });
    const wrongType = await createEndpointAction(null, { channel: 'email', eventType: 'NoSuchType', recipients: 'a@example.com' });
    expect(wrongType).toMatchObject({ ok: false, fieldErrors: { eventType: [expect.stringMatching(/No trigger makes/)] } });
  });

  it("refuse a viewer, and cannot touch another workspace's endpoint even by its exact id", async () => {
    const { eventType } = await endpointIn(b);
    await as(b.owner);
    const theirs = await createEndpointAction(null, { channel: 'webhook', eventType, url: 'https://example.com/b' });
    const id = theirs.ok ? theirs.data.id : '';
    await as(a.viewer);
    const message = `You are a viewer in ${a.workspace.name}: only owners and editors can add or change notification endpoints, resend deliveries and replay business events.`;
    expect(await createEndpointAction(null, { channel: 'webhook', eventType, url: 'https://example.com/v' })).toEqual({ ok: false, message, fieldErrors: {} });
    await as(a.editor);
    const notFound = { ok: false, message: 'That notification endpoint was not found.' };
    expect(await rotateSecretAction(null, { id })).toMatchObject(notFound);
    expect(await setEndpointActiveAction(null, { id, active: 'false' })).toMatchObject(notFound);
    expect(await updateEndpointAction(null, { id, channel: 'webhook', eventType, url: 'https://evil.example/' })).toMatchObject({ ok: false });
    expect(await deleteEndpointAction(null, { id })).toMatchObject(notFound);
    expect(await getPrisma().notificationEndpoint.findUnique({ where: { id } })).toMatchObject({ url: 'https://example.com/b', active: true });
  });
});
