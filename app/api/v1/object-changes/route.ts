import { NextResponse } from 'next/server';
import { apiRoute, readJson } from '@/lib/api/api-route';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { changesOf, MAX_CHANGES_BODY_BYTES, receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { publishChanges } from '@/lib/custom-events/streaming/change-stream';
import { getStreaming } from '@/lib/custom-events/streaming/nats';
import { getPool } from '@/lib/db/pool';
import { logger } from '@/lib/logger';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/object-changes: a batch of billing-object changes (a JSON array, or {"changes": [...]}), at
 * most 1,000 and 5 MB. Each change is answered on its own: 200 with the stored ones (their ids) and the
 * rejected ones (position, field, reason); 422 when none could be taken. Once stored, the workspace's
 * waiting changes are evaluated against its active triggers (`processed`); should that fail, the changes
 * stay stored and the next request (or processor) evaluates them. When nothing older waits, the batch is
 * evaluated in the transaction that stores it (receiveChanges' `evaluate`). With NATS_URL set, the stored
 * changes are published to the changes stream instead (`published`), and the stream's workers evaluate them.
 */
export const POST = apiRoute({ scope: 'object-changes:write', permission: 'changes.write' }, async (request, scope) => {
  const batch = changesOf(await readJson(request, MAX_CHANGES_BODY_BYTES));
  const streaming = getStreaming();
  const { evaluated, ...received } = await receiveChanges(getPool(), scope, batch, { evaluate: !streaming });
  if (streaming) {
    let published = false;
    try {
      await publishChanges(await streaming, scope.workspaceId, received.changes.filter((c) => !c.duplicate));
      published = true;
    } catch (error) {
      logger.error({ err: error, workspaceId: scope.workspaceId }, 'object changes stored but not yet published to JetStream; the sweep publishes them');
    }
    return NextResponse.json({ ...received, processed: null, published });
  }
  let processed = evaluated ?? null;
  try {
    // Older changes waited (or evaluating with the batch failed): they and the batch go now, in order.
    if (!evaluated) processed = await processChanges(getPool(), scope.workspaceId);
  } catch (error) {
    logger.error({ err: error, workspaceId: scope.workspaceId }, 'object changes stored but not yet evaluated');
  }
  return NextResponse.json({ ...received, processed });
});
