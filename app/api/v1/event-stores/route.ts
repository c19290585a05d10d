import { NextResponse } from 'next/server';
import { apiRoute, readJson } from '@/lib/api/api-route';
import { getPrisma } from '@/lib/db/prisma';
import { createStore, type CreateStoreInput } from '@/lib/event-store/create-store';
import { listStores } from '@/lib/event-store/list-stores';

export const dynamic = 'force-dynamic';

/** GET /api/v1/event-stores: the workspace's stores with event counts. */
export const GET = apiRoute({ scope: 'stores:read', permission: 'workspace.read' }, async (_request, scope) => ({
  data: await listStores(scope.workspaceId),
}));

/** POST /api/v1/event-stores {name, definitionId, description?}: creates a store. */
export const POST = apiRoute({ scope: 'stores:write', permission: 'store.write' }, async (request, scope) => {
  const store = await createStore(getPrisma(), scope, (await readJson(request)) as CreateStoreInput);
  return NextResponse.json({ data: store }, { status: 201 });
});
