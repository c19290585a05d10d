import type pg from 'pg';
import { enqueueBusinessEvents } from '@/lib/custom-events/streaming/outbox';

/** One trigger that matched one stored object change: what a business event is made of. */
export interface TriggerMatch {
  triggerId: string;
  triggerVersion: number;
  eventType: string;
  /** The condition's text at that version: the event page explains why it fired with it. */
  condition: string;
  /** object_changes.id (as text: a bigint). */
  changeId: string;
}

export interface StoredBusinessEvent {
  id: string;
  eventType: string;
}

/**
 * Stores a business event per match, inside the caller's transaction, copying the change's object, record,
 * values and time from object_changes (set-based: one statement for the batch). At most one per trigger and
 * change: a match stored before is skipped, so re-running a batch stores nothing twice. Returns the events
 * this call stored (not the skipped ones), in match order. Every path that makes business events goes
 * through here, so whatever must happen in the same transaction as a new event (the notification outbox)
 * happens here too.
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
  ]);
  const stored = rows.map((r) => ({ id: r.id, eventType: r.event_type }));
  // With NATS JetStream (NATS_URL): the messages announcing them, in this transaction (lib/custom-events/streaming).
  await enqueueBusinessEvents(client, workspaceId, stored);
  return stored;
}

const INSERT_BUSINESS_EVENTS = `
  INSERT INTO business_events (workspace_id, trigger_id, trigger_version, condition, event_type, change_id, object, record_id, change_type, current, previous, changed_fields, changed_at)
  SELECT $1::uuid, m.trigger_id, m.trigger_version, m.condition, m.event_type, c.id, c.object, c.record_id, c.change_type, c.current, c.previous, c.changed_fields, c.changed_at
    FROM unnest($2::uuid[], $3::int[], $4::text[], $5::bigint[], $6::text[]) WITH ORDINALITY AS m(trigger_id, trigger_version, event_type, change_id, condition, n)
    JOIN object_changes c ON c.id = m.change_id
   ORDER BY m.n
  ON CONFLICT (trigger_id, change_id) DO NOTHING
  RETURNING id, event_type`;
