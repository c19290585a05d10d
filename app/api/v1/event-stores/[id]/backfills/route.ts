import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/api-route';
import { previewBackfill } from '@/lib/backfills/preview-backfill';
import { listBackfills } from '@/lib/backfills/read-backfills';
import { readBackfillUpload } from '@/lib/backfills/read-upload';

export const dynamic = 'force-dynamic';

const need = { scope: 'events:delete', permission: 'events.delete' } as const;

/**
 * POST /api/v1/event-stores/{id}/backfills: upload a CSV of events to delete (multipart `file`, or the raw
 * text/csv body named by X-File-Name) → 201 with the preview; nothing is deleted until it is confirmed.
 * 400 BACKFILL_FILE_INVALID (details.rowErrors), 413 over 1 MiB.
 */
export const POST = apiRoute<{ id: string }>(need, async (request, scope, { id }) =>
  NextResponse.json(await previewBackfill(scope, id, await readBackfillUpload(request)), { status: 201 }),
);

/** GET /api/v1/event-stores/{id}/backfills: the store's backfills, newest first (at most 100). */
export const GET = apiRoute<{ id: string }>(need, async (_request, scope, { id }) => ({ backfills: await listBackfills(scope, id) }));
