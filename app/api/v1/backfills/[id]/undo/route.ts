import { apiRoute } from '@/lib/api/api-route';
import { undoBackfill } from '@/lib/backfills/undo-backfill';

export const dynamic = 'force-dynamic';

/** POST /api/v1/backfills/{id}/undo: re-insert the deleted events → 200 with the backfill; 409 STORE_BUSY or BACKFILL_NOT_UNDOABLE. */
export const POST = apiRoute<{ id: string }>({ scope: 'events:delete', permission: 'events.delete' }, async (_request, scope, { id }) =>
  undoBackfill(scope, id),
);
