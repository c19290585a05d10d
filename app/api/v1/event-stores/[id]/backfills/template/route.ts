import { apiRoute } from '@/lib/api/api-route';
import { csvResponse } from '@/lib/api/download-response';
import { getBackfillTemplate } from '@/lib/backfills/template';

export const dynamic = 'force-dynamic';

/** GET /api/v1/event-stores/{id}/backfills/template: the CSV to fill in with the events to delete. */
export const GET = apiRoute<{ id: string }>({ scope: 'events:delete', permission: 'events.delete' }, async (_request, scope, { id }) =>
  csvResponse(await getBackfillTemplate(scope, id)),
);
