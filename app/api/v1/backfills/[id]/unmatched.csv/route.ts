import { apiRoute } from '@/lib/api/api-route';
import { csvResponse } from '@/lib/api/download-response';
import { unmatchedRowsCsv } from '@/lib/backfills/backfill-csv';

export const dynamic = 'force-dynamic';

/** GET /api/v1/backfills/{id}/unmatched.csv: the file's rows that matched no stored event, with why. */
export const GET = apiRoute<{ id: string }>({ scope: 'events:delete', permission: 'events.delete' }, async (_request, scope, { id }) =>
  csvResponse(await unmatchedRowsCsv(scope, id)),
);
