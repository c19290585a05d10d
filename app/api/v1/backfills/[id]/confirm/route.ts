import { apiRoute } from '@/lib/api/api-route';
import { confirmBackfill } from '@/lib/backfills/confirm-backfill';

export const dynamic = 'force-dynamic';

/** POST /api/v1/backfills/{id}/confirm: delete the matched events → 200 with the backfill; 409 STORE_BUSY or BACKFILL_NOT_PENDING. */
export const POST = apiRoute<{ id: string }>({ scope: 'events:delete', permission: 'events.delete' }, async (_request, scope, { id }) =>
  confirmBackfill(scope, id),
);
