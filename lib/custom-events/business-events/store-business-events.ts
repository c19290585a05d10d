import type pg from 'pg';
import { streamingEnabled } from '@/lib/custom-events/streaming/nats';
import { enqueueBusinessEvents } from '@/lib/custom-events/streaming/outbox';

/** One trigger that matched one stored object change: what a business event is made of. */
export interface TriggerMatch {
  triggerId: string;
  triggerVersion: number;
  eventType: string;
  /** The condition's text at that version: the event page explains why it fired with it. */
  condition: string;
  /** object_changes.id (as text: a bigint). For a date trigger, the record's latest change. */
  changeId: string;
  /**
   * A date trigger's firing date ('YYYY-MM-DD', local to its zone). Left out for a change trigger, whose
   * event is for the change's UTC day.
   */
  fireDate?: string;
}

export interface StoredBusinessEvent {
  id: string;
  eventType: string;
}

/**
 * Stores a business event per match, inside the caller's transaction, copying the change's object, record,
 * values and time from object_changes (set-based: one statement for the batch). At most one per trigger,
 * change and fire date (a date trigger's date; a change's own day otherwise): a match stored before is skipped, so re-running a batch stores nothing twice. Returns the events
 * this call stored (not the skipped ones), in match order. Every path that makes business events goes
 * through here, so whatever must happen in the same transaction as a new event (the notification outbox)
 * happens here too: without JetStream, the same statement queues a notification delivery per new event and
 * active endpoint of its event type (the outbox, see lib/notifications); with it (NATS_URL), the stream outbox
 * row is written instead, and the deliveries are recorded by the consumers that read the business-events
 * stream (lib/notifications/delivery-consumers.ts).
 */
export async function storeBusinessEvents(client: pg.ClientBase, workspaceId: string, matches: readonly TriggerMatch[]): Promise<StoredBusinessEvent[]> {
  if (matches.length === 0) return [];
  const { rows } = await client.query<{ id: string; event_type: string }>(INSERT_BUSINESS_EVENTS, [
    workspaceId,
    matches.map((m) => m.triggerId),
    matches.map((m) => m.triggerVersion),
    matches.map((m) => m.eventType),
    matches.map((m) => m.changeId),
    matches.map((m) => m.condition),
    matches.map((m) => m.fireDate ?? null),
    !streamingEnabled(),
  ]);
  const stored = rows.map((r) => ({ id: r.id, eventType: r.event_type }));
  // With NATS JetStream (NATS_URL): the messages announcing them, in this transaction (lib/custom-events/streaming).
  await enqueueBusinessEvents(client, workspaceId, stored);
  return stored;
}

// One statement: the events, and in the same breath (when $8, i.e. without JetStream) the outbox
// (lib/notifications): a delivery per new event and active endpoint or email subscription of its event type,
// at most one per (event, endpoint). The delivery worker picks them up later; nothing here waits for a network.
const INSERT_BUSINESS_EVENTS = `
  WITH stored AS (
    INSERT INTO business_events (workspace_id, trigger_id, trigger_version, condition, event_type, change_id, object, record_id, change_type, current, previous, changed_fields, changed_at, fire_date)
    SELECT $1::uuid, m.trigger_id, m.trigger_version, m.condition, m.event_type, c.id, c.object, c.record_id, c.change_type, c.current, c.previous, c.changed_fields, c.changed_at,
           COALESCE(m.fire_date, (c.changed_at AT TIME ZONE 'UTC')::date)
      FROM unnest($2::uuid[], $3::int[], $4::text[], $5::bigint[], $6::text[], $7::date[]) WITH ORDINALITY AS m(trigger_id, trigger_version, event_type, change_id, condition, fire_date, n)
      JOIN object_changes c ON c.id = m.change_id
     ORDER BY m.n
    ON CONFLICT (trigger_id, change_id, fire_date) DO NOTHING
    RETURNING id, event_type
  ), outbox AS (
    INSERT INTO notification_deliveries (workspace_id, event_id, endpoint_id, channel)
    SELECT $1::uuid, s.id, e.id, e.channel
      FROM stored s
      JOIN notification_endpoints e ON e.workspace_id = $1::uuid AND e.event_type = s.event_type AND e.active
     WHERE $8::boolean
    ON CONFLICT (event_id, endpoint_id) DO NOTHING
  )
  SELECT id, event_type FROM stored`;
