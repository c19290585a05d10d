import { NextResponse } from 'next/server';
import { apiRoute, readJson } from '@/lib/api/api-route';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { apiTriggerOrNotFound, listTriggersPage, unprocessable } from '@/lib/custom-events/triggers/trigger-api';
import type { TriggerInputRaw } from '@/lib/custom-events/triggers/trigger-schema';
import { getPrisma } from '@/lib/db/prisma';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/triggers: creates a trigger (the form's fields as JSON: eventType, baseObject, condition,
 * description, active, samples). 201 with the trigger; 422 naming each field the rules refuse (a condition
 * error with its characters); 409 for a taken event type or a workspace at its 1,000 triggers.
 */
export const POST = apiRoute({ scope: 'triggers:write', permission: 'trigger.write' }, async (request, scope) => {
  const body = await readJson(request);
  const created = await createTrigger(getPrisma(), scope, body as TriggerInputRaw).catch((error: unknown) => {
    throw unprocessable(error);
  });
  return NextResponse.json({ trigger: await apiTriggerOrNotFound(scope.workspaceId, created.id) }, { status: 201 });
});

/** GET /api/v1/triggers?limit=&after=&baseObject=: the workspace's triggers in keyset pages, oldest first. */
export const GET = apiRoute({ scope: 'triggers:read', permission: 'workspace.read' }, async (request, scope) => {
  return listTriggersPage(scope.workspaceId, new URL(request.url).searchParams);
});
