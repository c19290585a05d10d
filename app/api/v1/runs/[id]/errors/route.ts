import { apiRoute } from '@/lib/api/api-route';
import { downloadResponse } from '@/lib/api/download-response';
import { getPool } from '@/lib/db/pool';
import { notFound } from '@/lib/errors';
import { getRunView } from '@/lib/runs/read-runs';
import { runErrorsCsv } from '@/lib/runs/run-errors-csv';
import { shortRunId } from '@/lib/runs/run-shape';

export const dynamic = 'force-dynamic';

/** GET /api/v1/runs/{id}/errors: the run's kept record errors as CSV (node, reason, record as JSON). */
export const GET = apiRoute<{ id: string }>({ scope: 'runs:read', permission: 'workspace.read' }, async (_request, scope, params) => {
  const run = await getRunView(scope.workspaceId, params.id);
  if (!run) throw notFound('That run');
  return downloadResponse(runErrorsCsv(getPool(), run.id), { contentType: 'text/csv; charset=utf-8', fileName: `run-${shortRunId(run.id)}-errors.csv` });
});
