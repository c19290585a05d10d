import { randomFillSync } from 'node:crypto';
import type pg from 'pg';
import { lockReferences } from '@/lib/custom-events/changes/lock-references';
import { businessEventsSubjectOf, currentStreamingConfig } from '@/lib/custom-events/streaming/nats';
import { enqueueStreamMessages, EVENTS_PER_MESSAGE, type BusinessEventsMessage, type StreamMessage } from '@/lib/custom-events/streaming/outbox';
import { copyInUnlessConflict, copyText } from '@/lib/db/copy-in';

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
  /**
   * The change as stored (its object_changes row), when the caller has it: a change trigger's events then go
   * in by COPY (see storeBusinessEvents). The caller vouches that it is the workspace's change `changeId`.
   */
  change?: ChangeFacts;
}

/** What a business event copies from its change; `time` as toISOString writes it (UTC, milliseconds). */
export interface ChangeFacts {
  object: string;
  recordId: string;
  changeType: string;
  time: string;
}

export interface StoredBusinessEvent {
  id: string;
  eventType: string;
  /** object_changes.id of its change (as text). */
  changeId: string;
}

/**
 * Stores a business event per match, inside the caller's transaction (set-based: the batch in one COPY or one
 * statement, after one statement for the batch's trigger versions). An event references its change
 * (object_changes.id: the values, changed fields and time are read from there) and its trigger version
 * (trigger_versions.id: the condition); it copies only what the Business Events list filters on (object,
 * record, change type, time). At most one per trigger, change and fire date (a date trigger's date; a change's
 * own day otherwise): a match stored before is skipped, so re-running a batch stores nothing twice. Returns the
 * events this call stored (not the skipped ones), in match order. Every path that makes business events goes
 * through here, so whatever must happen in the same transaction as a new event happens here too (writeOutboxOf):
 * without JetStream, a notification delivery per new event and active endpoint of its event type (the outbox,
 * see lib/notifications); with it (NATS_URL), the stream outbox messages instead, and the deliveries are
 * recorded by the consumers that read the business-events stream (lib/notifications/delivery-consumers.ts).
 * Change triggers' events whose matches carry their change go in by COPY (copyBusinessEvents); date
 * triggers' events, and a batch whose COPY met an event stored before, by the INSERT (insertBusinessEvents).
 */
export async function storeBusinessEvents(client: pg.ClientBase, workspaceId: string, matches: readonly TriggerMatch[]): Promise<StoredBusinessEvent[]> {
  if (matches.length === 0) return [];
  await lockReferences(client, workspaceId, [...new Set(matches.map((m) => m.triggerId))]);
  const versionIds = await triggerVersionIds(client, workspaceId, matches);
  const events = (await copyBusinessEvents(client, workspaceId, matches, versionIds)) ?? (await insertBusinessEvents(client, workspaceId, matches, versionIds));
  await writeOutboxOf(client, workspaceId, events);
  return events;
}

/** storeBusinessEvents for a caller that needs only how many were stored. */
export async function storeBusinessEventsCounted(client: pg.ClientBase, workspaceId: string, matches: readonly TriggerMatch[]): Promise<number> {
  return (await storeBusinessEvents(client, workspaceId, matches)).length;
}

/** storeBusinessEvents for a caller that needs only which changes made new events (the JetStream workers count them per message). */
export async function storeBusinessEventsOfChanges(client: pg.ClientBase, workspaceId: string, matches: readonly TriggerMatch[]): Promise<string[]> {
  return (await storeBusinessEvents(client, workspaceId, matches)).map((e) => e.changeId);
}

/** A time as toISOString writes it (four-digit year): its first ten characters are its UTC day. */
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const COPY_BUSINESS_EVENTS = `COPY business_events (id, workspace_id, trigger_id, trigger_version, trigger_version_id, event_type, change_id, object, record_id, change_type, changed_at, fire_date) FROM STDIN`;

/**
 * The fast way in for change triggers' events, whose changes the caller holds (every match with `change`,
 * none with a fire date): ids made here (time-ordered, as the column's default makes them), the rows COPYed,
 * and nothing else (storeBusinessEvents writes the outbox). COPY costs PostgreSQL about a fifth less than the
 * INSERT: no lookup of each change, no check for a conflict before each row, each value parsed once. It
 * cannot skip an event stored before (a batch evaluated again), so it runs under a savepoint: should one be
 * there, the attempt is undone and null sends the batch to the INSERT, which skips it. Null too when a match
 * lacks what COPY needs. Otherwise every match is stored: the events, in match order.
 */
async function copyBusinessEvents(client: pg.ClientBase, workspaceId: string, matches: readonly TriggerMatch[], versionIds: Map<string, string>): Promise<StoredBusinessEvent[] | null> {
  if (!matches.every((m) => m.change !== undefined && m.fireDate === undefined && CANONICAL_TIME.test(m.change.time))) return null;
  const ids = timeOrderedIds(matches.length);
  const rows = function* () {
    for (const [i, m] of matches.entries()) {
      const c = m.change!;
      yield `${ids[i]}\t${workspaceId}\t${m.triggerId}\t${m.triggerVersion}\t${versionIds.get(versionKey(m))}\t${copyText(m.eventType)}\t${m.changeId}\t` +
        `${copyText(c.object)}\t${copyText(c.recordId)}\t${c.changeType}\t${c.time}\t${c.time.slice(0, 10)}\n`;
    }
  };
  if (!(await copyInUnlessConflict(client, 'copy_business_events', COPY_BUSINESS_EVENTS, rows()))) return null;
  return matches.map((m, i) => ({ id: ids[i]!, eventType: m.eventType, changeId: m.changeId }));
}

/**
 * What must be written with new events, in their transaction: with JetStream, the stream outbox messages announcing them (EVENTS_PER_MESSAGE each, in
 * order, message id `be:<first event id>:<events>`); without, a notification delivery per event and active
 * endpoint of its event type (only the events of types some endpoint receives are sent to PostgreSQL).
 */
async function writeOutboxOf(client: pg.ClientBase, workspaceId: string, events: readonly StoredBusinessEvent[]): Promise<void> {
  const streaming = currentStreamingConfig();
  if (streaming) {
    const subject = businessEventsSubjectOf(streaming.prefix, workspaceId);
    const messages: StreamMessage[] = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_MESSAGE) {
      const part = events.slice(i, i + EVENTS_PER_MESSAGE);
      const body: BusinessEventsMessage = { workspaceId, events: part.map((e) => ({ id: e.id, eventType: e.eventType })) };
      messages.push({ subject, msgId: `be:${part[0]!.id}:${part.length}`, body: JSON.stringify(body) });
    }
    await enqueueStreamMessages(client, messages);
    return;
  }
  const { rows } = await client.query<{ event_type: string }>(`SELECT DISTINCT event_type FROM notification_endpoints WHERE workspace_id = $1::uuid AND active`, [workspaceId]);
  if (rows.length === 0) return;
  const received = new Set(rows.map((r) => r.event_type));
  const delivered = events.filter((e) => received.has(e.eventType));
  if (delivered.length === 0) return;
  await client.query(
    `INSERT INTO notification_deliveries (workspace_id, event_id, endpoint_id, channel)
     SELECT $1::uuid, s.id, e.id, e.channel
       FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS s(id, event_type, n)
       JOIN notification_endpoints e ON e.workspace_id = $1::uuid AND e.event_type = s.event_type AND e.active
      ORDER BY s.n
     ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
    [workspaceId, delivered.map((e) => e.id), delivered.map((e) => e.eventType)],
  );
}

/**
 * `count` UUIDs of version 7 for this millisecond, laid out as business_events.id's default lays them out
 * (48 bits of Unix milliseconds, then 0x70, then random bits with the RFC 4122 variant): each new event
 * goes to the right-hand end of the time-ordered indexes.
 */
export function timeOrderedIds(count: number): string[] {
  const bytes = randomFillSync(Buffer.allocUnsafe(count * 16));
  const ms = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * 16;
    bytes.writeUIntBE(ms, at, 6);
    bytes[at + 6] = 0x70;
    bytes[at + 8] = 0x80 | (bytes[at + 8]! & 0x3f);
    const hex = bytes.toString('hex', at, at + 16);
    ids.push(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  }
  return ids;
}

/**
 * The events by INSERT_BUSINESS_EVENTS, which skips a match stored before. Each distinct trigger version is
 * sent once (id, version, version id, event type), and per match only the position of its trigger version
 * (1-based), its change and its fire date (null for all when none has one): a batch of thousands of matches of
 * a few dozen triggers sends and parses a fraction of the text.
 */
async function insertBusinessEvents(client: pg.ClientBase, workspaceId: string, matches: readonly TriggerMatch[], versionIds: Map<string, string>): Promise<StoredBusinessEvent[]> {
  const positions = new Map<string, number>();
  const versions: TriggerMatch[] = [];
  const positionOfMatch: number[] = [];
  for (const m of matches) {
    const key = versionKey(m);
    let position = positions.get(key);
    if (position === undefined) {
      positions.set(key, (position = versions.push(m)));
    }
    positionOfMatch.push(position);
  }
  const { rows } = await client.query<{ id: string; event_type: string; change_id: string }>(INSERT_BUSINESS_EVENTS, [
    workspaceId,
    versions.map((m) => m.triggerId),
    versions.map((m) => m.triggerVersion),
    versions.map((m) => versionIds.get(versionKey(m))!),
    versions.map((m) => m.eventType),
    positionOfMatch,
    matches.map((m) => m.changeId),
    matches.some((m) => m.fireDate) ? matches.map((m) => m.fireDate ?? null) : null,
  ]);
  return rows.map((r) => ({ id: r.id, eventType: r.event_type, changeId: r.change_id }));
}

const versionKey = (m: Pick<TriggerMatch, 'triggerId' | 'triggerVersion'>) => `${m.triggerId}:${m.triggerVersion}`;

/**
 * The trigger_versions id of each (trigger, version) this process has read: a version's row never changes once
 * written (an edit makes a new version), so its id can be kept. Only rows another transaction committed are
 * kept (READ_TRIGGER_VERSIONS' `settled`): one this transaction recorded would be gone if it rolled back.
 * Bounded: past the cap it starts over.
 */
const knownVersionIds = new Map<string, string>();
const MAX_KNOWN_VERSIONS = 10_000;

/**
 * The trigger_versions id of every (trigger, version) among the matches, recording the condition of a version
 * the first time it fires. Known ids first, then one read, then the recording of what is still missing:
 * concurrent batches may record the same versions at once, so the insert takes them in one order (trigger,
 * version), and two such batches wait for each other rather than deadlock; ON CONFLICT DO NOTHING skips a
 * version the other recorded, and a version that neither this statement's insert nor its snapshot saw (the
 * other committed meanwhile) is read once more, and seen.
 */
async function triggerVersionIds(client: pg.ClientBase, workspaceId: string, matches: readonly TriggerMatch[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const wanted = new Map<string, TriggerMatch>();
  for (const m of matches) {
    const key = versionKey(m);
    if (ids.has(key) || wanted.has(key)) continue;
    const known = knownVersionIds.get(key);
    if (known) ids.set(key, known);
    else wanted.set(key, m);
  }
  const list = [...wanted.values()].sort((a, b) => (a.triggerId < b.triggerId ? -1 : a.triggerId > b.triggerId ? 1 : a.triggerVersion - b.triggerVersion));
  for (const sql of [READ_TRIGGER_VERSIONS, RECORD_TRIGGER_VERSIONS, READ_TRIGGER_VERSIONS]) {
    const missing = list.filter((m) => !ids.has(versionKey(m)));
    if (missing.length === 0) break;
    const { rows } = await client.query<{ id: string; trigger_id: string; version: number; settled: boolean }>(sql, [
      workspaceId,
      missing.map((m) => m.triggerId),
      missing.map((m) => m.triggerVersion),
      missing.map((m) => m.condition),
    ]);
    for (const r of rows) {
      const key = versionKey({ triggerId: r.trigger_id, triggerVersion: r.version });
      ids.set(key, r.id);
      if (r.settled) remember(key, r.id);
    }
  }
  const lost = list.find((m) => !ids.has(versionKey(m)));
  if (lost) throw new Error(`trigger ${lost.triggerId} version ${lost.triggerVersion} could not be recorded in trigger_versions`);
  return ids;
}

function remember(key: string, id: string): void {
  if (knownVersionIds.size >= MAX_KNOWN_VERSIONS) knownVersionIds.clear();
  knownVersionIds.set(key, id);
}

// Rows come in (trigger, version) order (the caller sorts them; ORDER BY keeps it): see triggerVersionIds.
const RECORD_TRIGGER_VERSIONS = `
  WITH wanted AS (
    SELECT w.trigger_id, w.version, w.condition, w.n FROM unnest($2::uuid[], $3::int[], $4::text[]) WITH ORDINALITY AS w(trigger_id, version, condition, n)
  ), recorded AS (
    INSERT INTO trigger_versions (workspace_id, trigger_id, version, condition)
    SELECT $1::uuid, trigger_id, version, condition FROM wanted ORDER BY n
    ON CONFLICT (trigger_id, version) DO NOTHING
    RETURNING id, trigger_id, version
  )
  SELECT id::text, trigger_id, version, false AS settled FROM recorded
  UNION ALL
  SELECT v.id::text, v.trigger_id, v.version, false AS settled FROM trigger_versions v JOIN wanted w ON v.trigger_id = w.trigger_id AND v.version = w.version`;

// `settled`: committed by another transaction. A row this transaction wrote has its start time as created_at
// (CURRENT_TIMESTAMP, kept to the millisecond, so within half a millisecond of now()); one written by another
// transaction and visible here, yet created since this one started, is merely not kept.
const READ_TRIGGER_VERSIONS = `
  SELECT v.id::text, v.trigger_id, v.version, v.created_at < now() - interval '1 millisecond' AS settled
    FROM trigger_versions v JOIN unnest($2::uuid[], $3::int[], $4::text[]) AS w(trigger_id, version, condition) ON v.trigger_id = w.trigger_id AND v.version = w.version
   WHERE v.workspace_id = $1::uuid`;

// The events of the matches not stored before, in match order. The join checks that each change is the
// workspace's (change_id has no foreign key: see prisma/schema.prisma). Each change is looked up by its id
// (LATERAL ... LIMIT 1): a plain join let the planner, misled by a new workspace's statistics (no changes yet),
// hash every change of the workspace for each batch, seconds per batch once it held a few hundred thousand.
// A match's trigger version is its position in the arrays $2-$5 (see insertBusinessEvents).
const INSERT_BUSINESS_EVENTS = `
  WITH stored AS (
    INSERT INTO business_events (workspace_id, trigger_id, trigger_version, trigger_version_id, event_type, change_id, object, record_id, change_type, changed_at, fire_date)
    SELECT $1::uuid, ($2::uuid[])[m.v], ($3::int[])[m.v], ($4::bigint[])[m.v], ($5::text[])[m.v], c.id, c.object, c.record_id, c.change_type, c.changed_at,
           COALESCE(m.fire_date, (c.changed_at AT TIME ZONE 'UTC')::date)
      FROM unnest($6::int[], $7::bigint[], $8::date[]) WITH ORDINALITY AS m(v, change_id, fire_date, n)
      CROSS JOIN LATERAL (SELECT c.id, c.workspace_id, c.object, c.record_id, c.change_type, c.changed_at FROM object_changes c WHERE c.id = m.change_id LIMIT 1) c
     WHERE c.workspace_id = $1::uuid
     ORDER BY m.n
    ON CONFLICT (trigger_id, change_id, fire_date) DO NOTHING
    RETURNING id, event_type, change_id
  )
  SELECT id, event_type, change_id::text FROM stored`;
