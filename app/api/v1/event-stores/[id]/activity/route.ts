import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/api-route';
import { readStoreHolder } from '@/lib/event-store/store-holder';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/event-stores/{id}/activity: what holds the store now (idle, or writing/deleting with the
 * holder's label and link). The store page polls it so its Backfill button follows the store without a reload.
 */
export const GET = apiRoute<{ id: string }>({ scope: 'stores:read', permission: 'workspace.read' }, async (_request, scope, params) =>
  NextResponse.json(await readStoreHolder(scope, params.id), { headers: { 'Cache-Control': 'no-store' } }),
);
