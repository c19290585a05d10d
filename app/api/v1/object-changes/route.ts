import { NextResponse } from 'next/server';
import { apiRoute, readJson } from '@/lib/api/api-route';
import { changesOf, MAX_CHANGES_BODY_BYTES, receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { getPool } from '@/lib/db/pool';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/object-changes: a batch of billing-object changes (a JSON array, or {"changes": [...]}), at
 * most 1,000 and 5 MB. Each change is answered on its own: 200 with the stored ones (their ids) and the
 * rejected ones (position, field, reason); 422 when none could be taken.
 */
export const POST = apiRoute({ scope: 'object-changes:write', permission: 'changes.write' }, async (request, scope) => {
  const batch = changesOf(await readJson(request, MAX_CHANGES_BODY_BYTES));
  return NextResponse.json(await receiveChanges(getPool(), scope, batch));
});
