import type pg from 'pg';
import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { getStreaming } from '@/lib/custom-events/streaming/nats';
import { businessEventsSince } from '@/lib/custom-events/streaming/replay';
import { inTransaction } from '@/lib/db/transaction';
import { AppError } from '@/lib/errors';
import { DEFAULT_MAX_ATTEMPTS } from '@/lib/notifications/backoff';

/** How far back a replay may go: what the business-events stream keeps (nats.ts), with or without JetStream. */
export const REPLAY_WINDOW_MS = 7 * 86_400_000;
/** Event ids per statement when they come from the stream. */
const IDS_PER_STATEMENT = 1_000;

export const replayInputSchema = z.strictObject({
  from: z.iso.datetime({ offset: true, error: 'from must be an ISO 8601 time with its zone, e.g. 2026-11-30T09:00:00Z.' }),
  eventType: z.string().trim().min(1, 'eventType must not be empty; leave it out for every event type.').max(200, 'eventType is at most 200 characters.').optional(),
  endpointId: z.uuid({ error: 'endpointId must be the id (a UUID) of a notification endpoint.' }).optional(),
});
export type ReplayInputRaw = z.input<typeof replayInputSchema>;

export interface ReplayResult {
  /** Business events re-delivered (to at least one endpoint). */
  events: number;
  /** Deliveries queued: new ones (an endpoint made after the event) and ones sent before, due again now. */
  deliveries: number;
  /** Deliveries left alone because an attempt of theirs was in flight. */
  inFlight: number;
  /** Where the events were read: the business-events stream (NATS_URL), or PostgreSQL. */
  source: 'stream' | 'postgres';
}

/**
 * Re-delivers the workspace's business events stored since `from` (optionally of one event type, and to one
 * endpoint) to its active endpoints of their types: a delivery per event and endpoint is queued now, a new
 * one, or the existing one made due again with a fresh set of attempts (the same webhook-id, so a receiver
 * can tell). Its attempts log who asked. With NATS_URL the events are read from the business-events stream
 * (from `from`), without it from PostgreSQL; either way only events stored at or after `from` count, so both
 * give the same result. All in one transaction, audited. A delivery whose attempt is in flight is left alone.
 */
export async function replayDeliveries(pool: pg.Pool, scope: WorkspaceScope, raw: unknown, now = new Date()): Promise<ReplayResult> {
  const input = replayInputSchema.parse(raw);
  const from = new Date(input.from);
  if (from.getTime() > now.getTime()) throw fieldError('from', `from (${input.from}) is in the future: give a time in the past.`);
  if (from.getTime() < now.getTime() - REPLAY_WINDOW_MS) {
    throw fieldError('from', `from (${input.from}) is more than 7 days ago: business events are replayed for at most 7 days (what the stream keeps).`);
  }
  const pendingStreaming = getStreaming();
  return inTransaction(pool, async (client) => {
    await checkFilters(client, scope.workspaceId, input);
    const filter: Filter = { workspaceId: scope.workspaceId, from, eventType: input.eventType ?? null, endpointId: input.endpointId ?? null, by: scope.actor.label };
    const totals = { events: new Set<string>(), deliveries: 0, inFlight: 0 };
    const add = (part: Requeued) => {
      for (const id of part.eventIds) totals.events.add(id);
      totals.deliveries += part.deliveries;
      totals.inFlight += part.inFlight;
    };
    if (pendingStreaming) {
      const streaming = await pendingStreaming;
      const ids: string[] = [];
      for await (const batch of businessEventsSince(streaming, { since: from, workspaceId: scope.workspaceId })) {
        ids.push(...batch.map((e) => e.id));
        if (ids.length >= IDS_PER_STATEMENT) add(await requeue(client, filter, ids.splice(0)));
      }
      if (ids.length > 0) add(await requeue(client, filter, ids));
    } else add(await requeue(client, filter, null));
    const result: ReplayResult = { events: totals.events.size, deliveries: totals.deliveries, inFlight: totals.inFlight, source: pendingStreaming ? 'stream' : 'postgres' };
    await recordAudit(client, scope, {
      action: 'notification.replayed',
      targetType: input.endpointId ? 'notification-endpoint' : 'workspace',
      targetId: input.endpointId ?? scope.workspaceId,
      details: { from: from.toISOString(), eventType: input.eventType ?? null, endpointId: input.endpointId ?? null, ...result },
    });
    return result;
  });
}

interface Filter {
  workspaceId: string;
  from: Date;
  eventType: string | null;
  endpointId: string | null;
  by: string;
}

interface Requeued {
  eventIds: string[];
  deliveries: number;
  inFlight: number;
}

/**
 * One statement: a delivery per matching event (of `ids`, or all the workspace's since `from` when null) and
 * active endpoint of its type, inserted, or made due again when it exists and no attempt is in flight.
 */
async function requeue(client: pg.ClientBase, filter: Filter, ids: string[] | null): Promise<Requeued> {
  const { rows } = await client.query<{ event_id: string; queued: boolean }>(
    `WITH wanted AS (
       SELECT b.workspace_id, b.id AS event_id, e.id AS endpoint_id, e.channel
         FROM business_events b
         JOIN notification_endpoints e ON e.workspace_id = b.workspace_id AND e.event_type = b.event_type AND e.active
        WHERE b.workspace_id = $1::uuid AND b.processed_at >= $2 AND ($3::uuid[] IS NULL OR b.id = ANY($3::uuid[]))
          AND ($4::text IS NULL OR b.event_type = $4) AND ($5::uuid IS NULL OR e.id = $5::uuid)
     ), queued AS (
       INSERT INTO notification_deliveries (workspace_id, event_id, endpoint_id, channel, resend_by, max_attempts)
       SELECT workspace_id, event_id, endpoint_id, channel, $6, $7 FROM wanted
       ON CONFLICT (event_id, endpoint_id) DO UPDATE
          SET status = 'pending', next_attempt_at = now(), max_attempts = notification_deliveries.attempts + $7,
              resend_by = EXCLUDED.resend_by, locked_until = NULL, updated_at = now()
        WHERE notification_deliveries.status <> 'sending'
       RETURNING event_id, endpoint_id
     )
     SELECT w.event_id::text AS event_id, q.event_id IS NOT NULL AS queued
       FROM wanted w LEFT JOIN queued q ON q.event_id = w.event_id AND q.endpoint_id = w.endpoint_id`,
    [filter.workspaceId, filter.from, ids, filter.eventType, filter.endpointId, filter.by, DEFAULT_MAX_ATTEMPTS],
  );
  const queued = rows.filter((r) => r.queued);
  return { eventIds: [...new Set(queued.map((r) => r.event_id))], deliveries: queued.length, inFlight: rows.length - queued.length };
}

/** The endpoint and event type asked for must be the workspace's: a 422 naming the field otherwise. */
async function checkFilters(client: pg.ClientBase, workspaceId: string, input: z.output<typeof replayInputSchema>): Promise<void> {
  if (input.endpointId) {
    const { rows } = await client.query<{ active: boolean; event_type: string }>(`SELECT active, event_type FROM notification_endpoints WHERE id = $1::uuid AND workspace_id = $2::uuid`, [input.endpointId, workspaceId]);
    const endpoint = rows[0];
    if (!endpoint) throw fieldError('endpointId', `endpointId ${input.endpointId} is not a notification endpoint of this workspace.`);
    if (!endpoint.active) throw fieldError('endpointId', `The endpoint ${input.endpointId} is disabled: enable it first, then replay.`, 409);
    if (input.eventType && input.eventType !== endpoint.event_type) {
      throw fieldError('eventType', `The endpoint ${input.endpointId} receives ${endpoint.event_type} events, not ${input.eventType}: leave eventType out, or give ${endpoint.event_type}.`);
    }
  }
  if (input.eventType) {
    const { rowCount } = await client.query(`SELECT 1 FROM triggers WHERE workspace_id = $1::uuid AND event_type = $2`, [workspaceId, input.eventType]);
    if (!rowCount) throw fieldError('eventType', `No trigger of this workspace makes ${input.eventType} events (event types are case-sensitive here).`);
  }
}

const fieldError = (field: string, message: string, status = 422) => new AppError('INVALID_REPLAY', message, { status, fieldErrors: { [field]: [message] } });
