import { apiRoute } from '@/lib/api/api-route';
import { setTriggerActive } from '@/lib/custom-events/triggers/save-trigger';
import { apiTriggerOrNotFound } from '@/lib/custom-events/triggers/trigger-api';
import { getPrisma } from '@/lib/db/prisma';

export const dynamic = 'force-dynamic';

/** POST /api/v1/triggers/{id}/deactivate: deactivates the trigger (raising its version, audited); already so, nothing changes. */
export const POST = apiRoute<{ id: string }>({ scope: 'triggers:write', permission: 'trigger.write' }, async (_request, scope, { id }) => {
  const { changed } = await setTriggerActive(getPrisma(), scope, id, false);
  return { trigger: await apiTriggerOrNotFound(scope.workspaceId, id), changed };
});
