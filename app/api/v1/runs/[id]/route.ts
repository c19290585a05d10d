import { apiRoute } from '@/lib/api/api-route';
import { notFound } from '@/lib/errors';
import { getRunView } from '@/lib/runs/read-runs';

export const dynamic = 'force-dynamic';

/** GET /api/v1/runs/{id}: the run with its progress (the run page polls it with the session). */
export const GET = apiRoute<{ id: string }>({ scope: 'runs:read', permission: 'workspace.read' }, async (_request, scope, params) => {
  const run = await getRunView(scope.workspaceId, params.id);
  if (!run) throw notFound('That run');
  return { run };
});
