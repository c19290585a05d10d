import { apiRoute } from '@/lib/api/api-route';
import { listDefinitions } from '@/lib/event-definitions/list-definitions';

export const dynamic = 'force-dynamic';

/** GET /api/v1/event-definitions: the workspace's event definitions with their fields. */
export const GET = apiRoute({ scope: 'stores:read', permission: 'workspace.read' }, async (_request, scope) => ({
  data: await listDefinitions(scope.workspaceId),
}));
