import { apiRoute } from '@/lib/api/api-route';
import { getStore } from '@/lib/event-store/get-store';

export const dynamic = 'force-dynamic';

/** GET /api/v1/event-stores/{id}: one store; 404 when it is not in the caller's workspace. */
export const GET = apiRoute<{ id: string }>({ scope: 'stores:read', permission: 'workspace.read' }, async (_request, scope, params) => ({
  data: await getStore(scope.workspaceId, params.id),
}));
