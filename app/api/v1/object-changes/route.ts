import { NextResponse } from 'next/server';
import { apiRoute, readJson } from '@/lib/api/api-route';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { changesOf, MAX_CHANGES_BODY_BYTES, receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { announceChanges } from '@/lib/custom-events/streaming/change-stream';
import { kickOutboxRelay } from '@/lib/custom-events/streaming/outbox';
import { currentStreamingConfig } from '@/lib/custom-events/streaming/nats';
import { getPool } from '@/lib/db/pool';
import { logger } from '@/lib/logger';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/object-changes: a batch of billing-object changes (a JSON array, or {"changes": [...]}), at
 * most 1,000 and 5 MB. Each change is answered on its own: 200 with the stored ones (their ids) and the
 * rejected ones (position, field, reason); 422 when none could be taken. The batch is evaluated against the
 * active triggers in the transaction that stores it, after the few older changes that wait, if any
 * (receiveChanges' `evaluate`; `processed`); with many waiting, or should evaluating fail, the changes stay
 * stored and queued, and processChanges takes them, now or at the next request. With NATS_URL set, the
 * stored changes are queued in groups and the messages announcing them written to the stream outbox in the
 * same transaction (announceChanges; `published`: queued for the changes stream), and the stream's workers
 * evaluate them.
 */
export const POST = apiRoute({ scope: 'object-changes:write', permission: 'changes.write' }, async (request, scope) => {
  const batch = changesOf(await readJson(request, MAX_CHANGES_BODY_BYTES));
  const streaming = currentStreamingConfig();
  if (streaming) {
    const received = await receiveChanges(getPool(), scope, batch, { announce: (client, stored) => announceChanges(client, streaming, scope.workspaceId, stored) });
    kickOutboxRelay();
    return NextResponse.json({ ...received, processed: null, published: true });
  }
  const { evaluated, ...received } = await receiveChanges(getPool(), scope, batch, { evaluate: true });
  let processed = evaluated ?? null;
  try {
    // Many older changes waited (or evaluating with the batch failed): they and the batch go now, in order.
    if (!evaluated) processed = await processChanges(getPool(), scope.workspaceId);
  } catch (error) {
    logger.error({ err: error, workspaceId: scope.workspaceId }, 'object changes stored but not yet evaluated');
  }
  return NextResponse.json({ ...received, processed });
});
