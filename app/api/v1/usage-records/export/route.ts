import { apiRoute } from '@/lib/api/api-route';
import { downloadResponse, fileStamp } from '@/lib/api/download-response';
import { getPool } from '@/lib/db/pool';
import { exportUsageRecordsCsv } from '@/lib/usage-records/export-usage-records';
import { parseUsageRecordFilters } from '@/lib/usage-records/usage-record-filters';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/usage-records/export: the workspace's usage records as CSV, newest first, optionally only
 * those of one meter (`meter=<id>`) and one account (`account=<number>`).
 */
export const GET = apiRoute({ scope: 'usage:read', permission: 'workspace.read' }, async (request, scope) => {
  const filters = await parseUsageRecordFilters(scope.workspaceId, new URL(request.url).searchParams);
  return downloadResponse(exportUsageRecordsCsv(getPool(), scope.workspaceId, filters), {
    contentType: 'text/csv; charset=utf-8',
    fileName: `usage-records-${fileStamp()}.csv`,
  });
});
