import { apiRoute, readJson } from '@/lib/api/api-route';
import { deleteTrigger, updateTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { apiTriggerOrNotFound, patched, unprocessable, updateBody } from '@/lib/custom-events/triggers/trigger-api';
import type { TriggerInputRaw } from '@/lib/custom-events/triggers/trigger-schema';
import { getPrisma } from '@/lib/db/prisma';

export const dynamic = 'force-dynamic';

type Params = { id: string };
const WRITE = { scope: 'triggers:write', permission: 'trigger.write' } as const;

/** GET /api/v1/triggers/{id}: one trigger of the workspace (404 for another workspace's). */
export const GET = apiRoute<Params>({ scope: 'triggers:read', permission: 'workspace.read' }, async (_request, scope, { id }) => ({
  trigger: await apiTriggerOrNotFound(scope.workspaceId, id),
}));

/**
 * PUT /api/v1/triggers/{id}: replaces the trigger with the body (fields left out take their defaults, as on
 * create). `expectedVersion` in the body refuses (409) when someone saved a newer version meanwhile.
 */
export const PUT = apiRoute<Params>(WRITE, async (request, scope, { id }) => {
  const { fields, expectedVersion } = updateBody(await readJson(request));
  await apiTriggerOrNotFound(scope.workspaceId, id);
  return save(scope, id, fields as TriggerInputRaw, expectedVersion);
});

/** PATCH /api/v1/triggers/{id}: changes the fields the body names, keeps the others; validated whole. */
export const PATCH = apiRoute<Params>(WRITE, async (request, scope, { id }) => {
  const { fields, expectedVersion } = updateBody(await readJson(request));
  const current = await apiTriggerOrNotFound(scope.workspaceId, id);
  return save(scope, id, patched(current, fields), expectedVersion ?? current.version);
});

/** DELETE /api/v1/triggers/{id}: deletes it (its business events stay, without the link). */
export const DELETE = apiRoute<Params>(WRITE, async (_request, scope, { id }) => ({ deleted: await deleteTrigger(getPrisma(), scope, id) }));

async function save(scope: Parameters<typeof updateTrigger>[1], id: string, input: TriggerInputRaw, expectedVersion?: number) {
  await updateTrigger(getPrisma(), scope, id, input, expectedVersion).catch((error: unknown) => {
    throw unprocessable(error);
  });
  return { trigger: await apiTriggerOrNotFound(scope.workspaceId, id) };
}
