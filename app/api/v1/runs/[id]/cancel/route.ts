import { apiRoute } from '@/lib/api/api-route';
import { notFound } from '@/lib/errors';
import { cancelRun } from '@/lib/runs/cancel-run';
import { getRunView } from '@/lib/runs/read-runs';

export const dynamic = 'force-dynamic';

/** POST /api/v1/runs/{id}/cancel: queued runs end at once, running ones between batches (live ones "stop"). */
export const POST = apiRoute<{ id: string }>({ scope: 'runs:write', permission: 'meter.run' }, async (_request, scope, params) => {
  await cancelRun(scope, params.id);
  const run = await getRunView(scope.workspaceId, params.id);
  if (!run) throw notFound('That run');
  return { run };
});
