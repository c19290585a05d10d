import type pg from 'pg';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { changedFields, readObjectChange, type ChangeRefusal, type ObjectChange } from '@/lib/custom-events/changes/object-change';
import { activeTriggers, claimPendingChanges, matchesOf, queueChanges, storeMatches, unbatchWaitingChanges, waitingChangeIds, type ProcessReport, type StoredChange } from '@/lib/custom-events/changes/process-changes';
import { keepFreshChanges } from '@/lib/custom-events/changes/fresh-changes';
import { lockReferences } from '@/lib/custom-events/changes/lock-references';
import { COPY_NULL, copyIn, copyInUnlessConflict, copyText, copyTextArray } from '@/lib/db/copy-in';
import { inTransaction } from '@/lib/db/transaction';
import { AppError } from '@/lib/errors';
import { unstorableText } from '@/lib/event-store/storable-value';
import { logger } from '@/lib/logger';

/** Most changes per request, and the largest body: a batch is stored in one transaction, so it stays small. */
export const MAX_CHANGES_PER_REQUEST = 1_000;
export const MAX_CHANGES_BODY_BYTES = 5 * 1024 * 1024;
const MAX_CHANGE_ID_LENGTH = 255;

export interface ReceivedChanges {
  /** Changes stored now. */
  accepted: number;
  /** Changes whose changeId was stored before (a batch sent again): not stored twice. */
  duplicates: number;
  rejected: number;
  /** One entry per stored or duplicate change, in the batch's order: its position, object, record and stored id. */
  changes: { position: number; object: string; recordId: string; id: string; duplicate: boolean }[];
  rejections: ChangeRefusal[];
  /** With `evaluate`: what was evaluated with the batch, older waiting changes included (null when the batch was queued). */
  evaluated?: ProcessReport | null;
}

export interface ReceiveOptions {
  /**
   * Evaluate the batch against the active triggers in the transaction that stores it: the changes are never
   * queued, their business events are stored beside them, with no second read. Older waiting changes of the
   * workspace go first: up to MAX_TAKEN_ALONG are evaluated in the same transaction, before the batch; past
   * that, the batch is queued behind them (`evaluated` null) for processChanges. Requests evaluated this way
   * run side by side (no lock): a record's changes sent one request after the other keep their order;
   * changes of one record sent in concurrent requests have none to keep.
   */
  evaluate?: boolean;
  /**
   * Called in the storing transaction with the changes stored now (not the duplicates), which it must queue
   * for evaluation: the JetStream path queues them in groups and writes the messages announcing them there
   * (announceChanges), so they are announced if and only if they are stored.
   */
  announce?: (client: pg.ClientBase, stored: readonly { id: string; object: string; recordId: string }[]) => Promise<unknown>;
  /** Most older waiting changes evaluated with the batch (MAX_TAKEN_ALONG by default). */
  maxTakenAlong?: number;
}

/** The batch from a request body: a JSON array of changes, or `{ "changes": [...] }`. */
export function changesOf(body: unknown): unknown[] {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { changes?: unknown }).changes) ? (body as { changes: unknown[] }).changes : null;
  if (!list) throw new AppError('INVALID_CHANGES', 'Send the changes as a JSON array, or as {"changes": [...]}.', { status: 400 });
  if (list.length === 0) throw new AppError('INVALID_CHANGES', 'The batch has no changes; send at least one.', { status: 400 });
  if (list.length > MAX_CHANGES_PER_REQUEST) {
    throw new AppError('TOO_MANY_CHANGES', `A request may carry at most ${MAX_CHANGES_PER_REQUEST.toLocaleString('en')} changes; this one has ${list.length.toLocaleString('en')}. Split it.`, { status: 413 });
  }
  return list;
}

/**
 * Stores a batch of object changes (source `api`), each checked on its own: valid ones are stored in batch
 * order (so a record's changes keep their order), invalid ones answered with their position, field and
 * reason, the way event ingest answers. A change with a `changeId` already stored in the workspace is not
 * stored again (a retried request is safe). One statement and its audit row in one transaction: all the
 * valid changes or none. 422 when no change is valid.
 */
export async function receiveChanges(db: pg.Pool, scope: WorkspaceScope, batch: unknown[], options: ReceiveOptions = {}): Promise<ReceivedChanges> {
  const valid: { position: number; changeId: string | null; change: ObjectChange }[] = [];
  const rejections: ChangeRefusal[] = [];
  const seenIds = new Set<string>();
  batch.forEach((raw, position) => {
    const reading = readObjectChange(raw, position);
    if (!reading.ok) return rejections.push(reading.refusal);
    const changeId = (raw as { changeId?: unknown }).changeId;
    if (changeId !== undefined && changeId !== null && (typeof changeId !== 'string' || changeId === '' || changeId.length > MAX_CHANGE_ID_LENGTH)) {
      return rejections.push({ position, recordId: reading.change.recordId, field: 'changeId', reason: `changeId, when given, is your own id of the change: text of 1 to ${MAX_CHANGE_ID_LENGTH} characters.` });
    }
    const unstorable = typeof changeId === 'string' ? unstorableText(changeId) : null;
    if (unstorable) return rejections.push({ position, recordId: reading.change.recordId, field: 'changeId', reason: `changeId ${unstorable}` });
    if (typeof changeId === 'string' && seenIds.has(changeId)) {
      return rejections.push({ position, recordId: reading.change.recordId, field: 'changeId', reason: `changeId “${changeId}” appears twice in this batch; give each change its own.` });
    }
    if (typeof changeId === 'string') seenIds.add(changeId);
    valid.push({ position, changeId: typeof changeId === 'string' ? changeId : null, change: reading.change });
  });
  if (valid.length === 0) {
    throw new AppError('NO_VALID_CHANGES', `None of the ${batch.length.toLocaleString('en')} changes could be taken; nothing was stored. The first problem: change ${rejections[0]!.position}: ${rejections[0]!.reason}`, {
      status: 422,
      details: { rejections: rejections.slice(0, 100) },
    });
  }

  const announced: StoredChange[] = [];
  const received = await inTransaction(db, async (client) => {
    // Older changes of the workspace that wait: few are evaluated first, with the batch; many go through
    // processChanges, and this batch waits behind them.
    // Groups that JetStream's workers left (NATS_URL was set before) wait as single changes from here.
    const takenAlong = options.maxTakenAlong ?? MAX_TAKEN_ALONG;
    if (options.evaluate === true) await unbatchWaitingChanges(client, { workspaceId: scope.workspaceId });
    const older = options.evaluate === true ? await waitingChangeIds(client, scope.workspaceId, takenAlong + 1) : [];
    const evaluate = options.evaluate === true && older.length <= takenAlong;
    const { ids, stored } = await insertObjectChanges(client, scope.workspaceId, 'api', valid, { queue: !evaluate && !options.announce });
    const duplicateIds = await storedIdsOf(client, scope.workspaceId, valid.filter((v, i) => v.changeId !== null && !stored.has(ids[i]!)).map((v) => v.changeId!));
    const changes = valid.map((v, i) => {
      const duplicate = !stored.has(ids[i]!);
      return { position: v.position, object: v.change.object, recordId: v.change.recordId, id: duplicate ? duplicateIds.get(v.changeId!)! : ids[i]!, duplicate };
    });
    const result: ReceivedChanges = { accepted: stored.size, duplicates: valid.length - stored.size, rejected: rejections.length, changes, rejections };
    const fresh = valid.flatMap((v, i) => (stored.has(ids[i]!) ? [{ ...v.change, id: ids[i]! }] : []));
    if (options.announce) {
      await options.announce(client, changes.filter((c) => !c.duplicate));
      // Announced to be evaluated by the change workers (not here): kept for those of this process, after the commit.
      if (!options.evaluate) announced.push(...fresh);
    }
    if (options.evaluate) {
      result.evaluated = evaluate ? await evaluateStored(client, scope.workspaceId, fresh, older) : null;
    }
    await recordAudit(client, scope, {
      action: 'object-changes.received',
      targetType: 'workspace',
      targetId: scope.workspaceId,
      details: { source: 'api', accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected },
    });
    return result;
  });
  // Committed: the change workers of this process may take them from here rather than read them back.
  keepFreshChanges(announced);
  return received;
}

/** Most older waiting changes a request evaluates before its own; past it, they and the batch go through processChanges. */
const MAX_TAKEN_ALONG = 5_000;

/**
 * The business events of changes just stored unqueued, evaluated after the `older` waiting changes, which it
 * claims first (claimPendingChanges: should another processor hold them, this waits for it and finds them
 * done, so a record's changes are still evaluated in order). Should evaluating fail, the batch is queued
 * instead (under a savepoint, in the same transaction; the older changes' claim is undone with it), so the
 * changes stay stored and wait for processChanges, as when evaluation is left to it.
 */
async function evaluateStored(client: pg.ClientBase, workspaceId: string, fresh: StoredChange[], older: readonly string[]): Promise<ProcessReport | null> {
  try {
    return await inTransaction(client, async (savepoint) => {
      const changes = [...(await claimPendingChanges(savepoint, workspaceId, { ids: older })), ...fresh];
      const businessEvents = await storeMatches(savepoint, workspaceId, matchesOf(changes, await activeTriggers(savepoint, workspaceId)));
      return { changes: changes.length, businessEvents };
    });
  } catch (error) {
    logger.error({ err: error, workspaceId }, 'object changes stored but not yet evaluated');
    await queueChanges(client, workspaceId, fresh.map((c) => c.id));
    return null;
  }
}

async function storedIdsOf(client: pg.ClientBase, workspaceId: string, changeIds: string[]): Promise<Map<string, string>> {
  if (changeIds.length === 0) return new Map();
  const { rows } = await client.query<{ change_id: string; id: string }>(
    // Each by the whole key (LATERAL ... LIMIT 1), whatever the statistics say: `workspace_id = $1 AND
    // change_id = ANY($2)` may be planned as a scan of all the workspace's changes, filtered.
    `SELECT c.change_id, c.id::text FROM unnest($2::text[]) AS k(change_id)
       CROSS JOIN LATERAL (SELECT c.change_id, c.id FROM object_changes c WHERE c.workspace_id = $1::uuid AND c.change_id = k.change_id LIMIT 1) c`,
    [workspaceId, changeIds],
  );
  return new Map(rows.map((r) => [r.change_id, r.id]));
}

/**
 * Inserts checked changes of one source (`api`, `cdc:<connector>`) in the caller's transaction, in the
 * order given: ids are taken first in that order (ordered as bigints: as text, 1000 would come before 999),
 * so a record's changes are processed in it whatever the insert does. A change with a `changeId` the
 * workspace already has is not stored again. Each stored change waits for evaluation (a pending_object_changes
 * row) unless `queue` is false: the caller then evaluates them and stores their business events in the same
 * transaction, or queues them itself (announceChanges, in groups). Returns the ids taken (one per change, in order) and the set of those actually stored.
 *
 * The changes go in by COPY (copyChanges), which costs PostgreSQL about a third less than an INSERT from one
 * JSON document: each value is parsed once, by its own type, and rows are written a page at a time. COPY
 * cannot skip a duplicate changeId, so a batch with changeIds is copied under a savepoint: should one be
 * stored already (a batch sent again) or come in concurrently, the attempt is undone and the batch goes in by
 * the INSERT, which skips the duplicates.
 */
export async function insertObjectChanges(
  client: pg.ClientBase,
  workspaceId: string,
  source: string,
  items: readonly { changeId: string | null; change: ObjectChange }[],
  options: { queue?: boolean } = {},
): Promise<{ ids: string[]; stored: Set<string> }> {
  if (items.length === 0) return { ids: [], stored: new Set() };
  await lockReferences(client, workspaceId);
  const ids = (
    await client.query<{ ids: string[] }>(`SELECT ARRAY(SELECT n::text FROM (SELECT nextval('object_changes_id_seq') AS n FROM generate_series(1, $1::int)) s ORDER BY s.n) AS ids`, [items.length])
  ).rows[0]!.ids;
  if (await copyChanges(client, workspaceId, source, items, ids)) {
    if (options.queue !== false) await client.query(`INSERT INTO pending_object_changes (workspace_id, id) SELECT $1::uuid, unnest($2::bigint[])`, [workspaceId, ids]);
    return { ids, stored: new Set(ids) };
  }
  // One JSON document for the batch, not an array per column: the values go in as they are, with no array
  // literal to escape in Node and unescape in PostgreSQL, and the server reads the text once.
  const batch = items.map((v, i) => ({ i: ids[i], k: v.changeId, o: v.change.object, r: v.change.recordId, t: v.change.changeType, c: v.change.current, p: v.change.previous, f: changedFields(v.change), a: v.change.time }));
  const { rows } = await client.query<{ id: string }>(INSERT_CHANGES, [workspaceId, source, JSON.stringify(batch), options.queue !== false]);
  return { ids, stored: new Set(rows.map((r) => r.id)) };
}

const COPY_CHANGES = `COPY object_changes (id, workspace_id, source, change_id, object, record_id, change_type, current, previous, changed_fields, changed_at) FROM STDIN`;

/**
 * COPYs the changes into object_changes with their ids; true when all went in. With no changeId nothing can
 * conflict (the ids are new). With changeIds, under a savepoint: a unique violation (a changeId stored
 * already, or committed meanwhile by another request) or a deadlock undoes the attempt and answers false.
 */
async function copyChanges(client: pg.ClientBase, workspaceId: string, source: string, items: readonly { changeId: string | null; change: ObjectChange }[], ids: readonly string[]): Promise<boolean> {
  const rows = copyRowsOf(workspaceId, source, items, ids);
  if (items.some((v) => v.changeId !== null)) return copyInUnlessConflict(client, 'copy_object_changes', COPY_CHANGES, rows);
  await copyIn(client, COPY_CHANGES, rows);
  return true;
}

/** The changes as COPY text rows. */
function* copyRowsOf(workspaceId: string, source: string, items: readonly { changeId: string | null; change: ObjectChange }[], ids: readonly string[]): Generator<string> {
  const head = `${workspaceId}\t${copyText(source)}\t`;
  for (let i = 0; i < items.length; i++) {
    const { changeId, change } = items[i]!;
    yield `${ids[i]}\t${head}${changeId === null ? COPY_NULL : copyText(changeId)}\t${copyText(change.object)}\t${copyText(change.recordId)}\t${change.changeType}\t` +
      `${copyText(JSON.stringify(change.current))}\t${copyText(JSON.stringify(change.previous))}\t${copyTextArray(changedFields(change))}\t${change.time}\n`;
  }
}

const INSERT_CHANGES = `
  WITH stored AS (
    INSERT INTO object_changes (id, workspace_id, source, change_id, object, record_id, change_type, current, previous, changed_fields, changed_at)
    SELECT c.i, $1::uuid, $2::text, c.k, c.o, c.r, c.t::"ObjectChangeType", c.c, c.p, c.f, c.a
      FROM jsonb_to_recordset($3::jsonb) AS c(i bigint, k text, o text, r text, t text, c jsonb, p jsonb, f text[], a timestamptz)
    ON CONFLICT (workspace_id, change_id) DO NOTHING
    RETURNING id
  ), queued AS (
    INSERT INTO pending_object_changes (workspace_id, id) SELECT $1::uuid, id FROM stored WHERE $4::boolean
  )
  SELECT id::text FROM stored`;
