import { apiRoute } from '@/lib/api/api-route';
import { csvResponse } from '@/lib/api/download-response';
import { deletedEventsCsv } from '@/lib/backfills/backfill-csv';

export const dynamic = 'force-dynamic';

/** GET /api/v1/backfills/{id}/deleted-events.csv: the trail, the full events the backfill deleted. */
export const GET = apiRoute<{ id: string }>({ scope: 'events:delete', permission: 'events.delete' }, async (_request, scope, { id }) =>
  csvResponse(await deletedEventsCsv(scope, id)),
);
