import { apiRoute } from '@/lib/api/api-route';
import { getBackfillPreview } from '@/lib/backfills/read-backfills';

export const dynamic = 'force-dynamic';

/** GET /api/v1/backfills/{id}: one backfill with the first unmatched rows of its file. */
export const GET = apiRoute<{ id: string }>({ scope: 'events:delete', permission: 'events.delete' }, async (_request, scope, { id }) =>
  getBackfillPreview(scope, id),
);
