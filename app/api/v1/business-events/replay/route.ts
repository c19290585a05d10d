import { apiRoute, readJson } from '@/lib/api/api-route';
import { getPool } from '@/lib/db/pool';
import { replayDeliveries } from '@/lib/notifications/replay-deliveries';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/business-events/replay: re-delivers the workspace's business events stored since `from` (an ISO
 * time with zone, at most 7 days ago) to its active notification endpoints, optionally only `eventType`'s and
 * only to `endpointId`. 200 with { events, deliveries, inFlight, source }; 400 naming a malformed field, 422
 * naming one the workspace does not have (or a `from` in the future or past the window), 409 for a disabled
 * endpoint. Read from the business-events stream with NATS_URL, from PostgreSQL without; audited.
 */
export const POST = apiRoute({ scope: 'notifications:write', permission: 'notification.write' }, async (request, scope) => {
  return { replay: await replayDeliveries(getPool(), scope, await readJson(request)) };
});
