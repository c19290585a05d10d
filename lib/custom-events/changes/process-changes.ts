import type pg from 'pg';
import { conditionContext, type ObjectChange } from '@/lib/custom-events/changes/object-change';
import { conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import { storeBusinessEventsCounted, type TriggerMatch } from '@/lib/custom-events/business-events/store-business-events';
import { freshChangesKept, takeFreshChange } from '@/lib/custom-events/changes/fresh-changes';
import { lockReferences } from '@/lib/custom-events/changes/lock-references';
import { inTransaction } from '@/lib/db/transaction';
import { compile } from '@/lib/expressions/compile';
import { logger } from '@/lib/logger';

/** Changes evaluated per transaction. */
export const PROCESS_BATCH = 5_000;

export interface ProcessReport {
  /** Changes evaluated. */
  changes: number;
  /** Business events stored. */
  businessEvents: number;
}

export interface ActiveTrigger {
  id: string;
  version: number;
  event_type: string;
  base_object: string;
  condition: string;
}

/** A change with its object_changes id (text: a bigint). */
export interface StoredChange extends ObjectChange {
  id: string;
}

/**
 * Evaluates the workspace's waiting object changes (pending_object_changes) against its active triggers, in
 * id order (so the changes of one record in the order they were received), a batch per transaction until none
 * is left. Each match is a business event (one per trigger and change: running again never stores it twice),
 * stored with the trigger's version in the transaction that claims the changes (claimPendingChanges), so a
 * process that dies midway leaves its batch to be evaluated again, whole. One processor per workspace at a time (a
 * transaction-scoped advisory lock): a caller that finds one at work waits for it, then takes what is left.
 * Conditions are compiled once per text and schema (compile's cache), so an edited trigger is compiled anew.
 * Date triggers are not evaluated here: they fire on their schedule (lib/custom-events/date-triggers).
 */
export async function processChanges(pool: pg.Pool, workspaceId: string, options: { batchSize?: number } = {}): Promise<ProcessReport> {
  const batchSize = options.batchSize ?? PROCESS_BATCH;
  const report: ProcessReport = { changes: 0, businessEvents: 0 };
  for (;;) {
    const batch = await inTransaction(pool, (client) => processBatch(client, workspaceId, batchSize));
    report.changes += batch.changes;
    report.businessEvents += batch.businessEvents;
    if (batch.changes < batchSize) return report;
  }
}

/** The workspace's lock of change processing: whoever holds it evaluates the workspace's changes, in id order. */
async function lockChangeProcessing(client: pg.ClientBase, workspaceId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('object-changes:' || $1::text, 0))`, [workspaceId]);
}

async function processBatch(client: pg.ClientBase, workspaceId: string, batchSize: number): Promise<ProcessReport> {
  await lockChangeProcessing(client, workspaceId);
  // Groups that JetStream's workers left (NATS_URL was set before): their changes wait in the queue from here.
  await unbatchWaitingChanges(client, { workspaceId });
  const changes = await claimPendingChanges(client, workspaceId, { first: batchSize });
  if (changes.length === 0) return { changes: 0, businessEvents: 0 };
  const stored = await storeMatches(client, workspaceId, matchesOf(changes, await activeTriggers(client, workspaceId)));
  return { changes: changes.length, businessEvents: stored };
}

// A claimed change as claimPendingChanges reads it: id, workspace id, object, record id, change type, current,
// previous, and changed_at as ISO text (toISOString's form), made by PostgreSQL: no Date to parse and print
// again per change.
type ChangeRow = [string, string, string, string, ObjectChange['changeType'], ObjectChange['current'], ObjectChange['previous'], string];

/**
 * Claims waiting changes of a workspace in the caller's transaction and returns them in id order: the `first`
 * N waiting (pending_object_changes), or those of `ids` that still wait. With `batches` (the first ids of
 * groups in pending_change_batches, as a JetStream message names them: announceChanges), those groups are
 * claimed whole, and only the `ids` no claimed group holds are looked for in pending_object_changes (a group
 * that the sweep turned back into single rows). The claim deletes the rows, so the transaction that stores
 * their business events is the one that marks them processed, and a second claimant (another processor, a
 * message delivered twice) waits for it and then finds nothing: a change is never evaluated twice. A rollback
 * puts them back.
 */
export async function claimPendingChanges(
  client: pg.ClientBase,
  workspaceId: string,
  which: { first: number } | { ids: readonly string[]; batches?: readonly string[] },
): Promise<StoredChange[]> {
  if ('ids' in which && which.ids.length === 0 && !which.batches?.length) return [];
  if ('ids' in which && which.batches?.length) {
    const fromBatches = await claimBatches(client, workspaceId, which.batches);
    const held = new Set(fromBatches);
    const single = which.ids.filter((id) => !held.has(id));
    const claimed = single.length === 0 ? fromBatches : [...fromBatches, ...(await claimSingle(client, workspaceId, { ids: single }))];
    return changesOf(client, workspaceId, claimed.sort(compareChangeIds));
  }
  if (freshChangesKept() === 0) {
    // Nothing kept here: the claim and the read back in one statement.
    const { rows } = await client.query<{ changes: string | null }>(`WITH claimed AS (${claimStatement(which)}) ${readChanges('SELECT id FROM claimed')}`, claimParameters(workspaceId, which));
    return changesOfWorkspace(rows[0]!.changes, workspaceId);
  }
  return changesOf(client, workspaceId, await claimSingle(client, workspaceId, which));
}

// The queue rows are found by their key and deleted by their row address (ctid): given the whole key
// (LATERAL ... LIMIT 1 per id) or the first of the workspace in id order, the planner has one way to find them,
// whatever the statistics say. `workspace_id = $1 AND id = ANY($2)`, planned with a new workspace's statistics
// (autovacuum off: no rows yet), scanned every waiting change of the workspace per claim. No workspace
// condition on the DELETE itself: it would offer the planner an index scan of the workspace's rows.
function claimStatement(which: { first: number } | { ids: readonly string[] }): string {
  const queued =
    'first' in which
      ? `SELECT q.ctid FROM pending_object_changes q WHERE q.workspace_id = $1::uuid ORDER BY q.id LIMIT $2::int`
      : `SELECT q.ctid FROM unnest($2::bigint[]) AS u(id)
           CROSS JOIN LATERAL (SELECT q.ctid FROM pending_object_changes q WHERE q.workspace_id = $1::uuid AND q.id = u.id LIMIT 1) q`;
  return `DELETE FROM pending_object_changes p WHERE p.ctid = ANY(ARRAY(${queued})) RETURNING p.id`;
}

const claimParameters = (workspaceId: string, which: { first: number } | { ids: readonly string[] }) => [workspaceId, 'first' in which ? which.first : which.ids];

/** Claims single queued changes (pending_object_changes); their ids, in id order. */
async function claimSingle(client: pg.ClientBase, workspaceId: string, which: { first: number } | { ids: readonly string[] }): Promise<string[]> {
  const { rows } = await client.query<{ ids: string | null }>(`WITH claimed AS (${claimStatement(which)}) SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM claimed`, claimParameters(workspaceId, which));
  return rows[0]!.ids ? rows[0]!.ids.split(',') : [];
}

/** Claims the groups of the workspace (pending_change_batches) whose first ids are given; the ids of their changes (each group's in id order). */
async function claimBatches(client: pg.ClientBase, workspaceId: string, firstIds: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ ids: string | null }>(
    `WITH claimed AS (DELETE FROM pending_change_batches WHERE first_id = ANY($2::bigint[]) AND workspace_id = $1::uuid RETURNING ids)
     SELECT string_agg(array_to_string(ids, ','), ',') AS ids FROM claimed`,
    [workspaceId, firstIds],
  );
  return rows[0]!.ids ? rows[0]!.ids.split(',') : [];
}

/**
 * The claimed changes, in the order of `ids`: those this process stored just now (fresh-changes.ts) from
 * memory, the others read back from object_changes.
 */
async function changesOf(client: pg.ClientBase, workspaceId: string, ids: readonly string[]): Promise<StoredChange[]> {
  if (ids.length === 0) return [];
  const changes = ids.map(takeFreshChange);
  const missing = ids.filter((_, i) => changes[i] === undefined);
  if (missing.length > 0) {
    const { rows: read } = await client.query<{ changes: string | null }>(readChanges('SELECT unnest($1::bigint[])'), [missing]);
    const byId = new Map(changesOfWorkspace(read[0]!.changes, workspaceId).map((c) => [c.id, c]));
    ids.forEach((id, i) => (changes[i] ??= byId.get(id)));
  }
  return changes.filter((c): c is StoredChange => c !== undefined);
}

/** Orders object_changes ids (bigints as text) as numbers: a shorter one is smaller, then by their digits. */
export function compareChangeIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Turns groups of waiting changes (pending_change_batches) back into single queue rows (pending_object_changes),
 * in the caller's transaction: a workspace's groups (processChanges and the Object Changes API without JetStream
 * take its waiting changes from the single rows), those stored more than `olderThanMs` ago (the sweep announces
 * single rows again), or both conditions at once. Their changes still wait, once. Returns how many changes moved.
 */
export async function unbatchWaitingChanges(client: pg.ClientBase | pg.Pool, which: { workspaceId: string; olderThanMs?: number } | { workspaceId?: string; olderThanMs: number }): Promise<number> {
  const { rowCount } = await client.query(
    `WITH groups AS (
       DELETE FROM pending_change_batches
        WHERE ($1::uuid IS NULL OR workspace_id = $1::uuid)
          AND ($2::double precision IS NULL OR created_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000))
       RETURNING workspace_id, ids)
     INSERT INTO pending_object_changes (workspace_id, id) SELECT g.workspace_id, unnest(g.ids) FROM groups g ON CONFLICT DO NOTHING`,
    [which.workspaceId ?? null, which.olderThanMs ?? null],
  );
  return rowCount ?? 0;
}

/**
 * The statement reading changes by id (those `idsQuery` gives) as one JSON document, an array per change
 * (ChangeRow's columns in order), parsed in one go: a row per change cost Node a protocol message, eight
 * fields and two JSON parses each. By primary key (= ANY of an array), not filtered by workspace in SQL,
 * which offered a bitmap of all the workspace's changes; changesOfWorkspace checks the workspace.
 */
const readChanges = (idsQuery: string) =>
  `SELECT json_agg(json_build_array(c.id::text, c.workspace_id, c.object, c.record_id, c.change_type, c.current, c.previous,
                   to_char(c.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY c.id)::text AS changes
     FROM object_changes c WHERE c.id = ANY(ARRAY(${idsQuery}))`;

function changesOfWorkspace(document: string | null, workspaceId: string): StoredChange[] {
  const claimed = JSON.parse(document ?? '[]') as ChangeRow[];
  const stray = claimed.find((r) => r[1] !== workspaceId);
  if (stray) throw new Error(`change ${stray[0]} waited in workspace ${workspaceId} but belongs to another`);
  return claimed.map(([id, , object, recordId, changeType, current, previous, time]) => ({ id, object, recordId, changeType, current, previous, time }));
}

/** Queues stored changes for evaluation (pending_object_changes), in the caller's transaction; ids already queued are skipped. */
export async function queueChanges(client: pg.ClientBase, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await lockReferences(client, workspaceId);
  await client.query(`INSERT INTO pending_object_changes (workspace_id, id) SELECT $1::uuid, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, [workspaceId, ids]);
}

/** Ids of a workspace's waiting changes, oldest first, at most `limit`. */
export async function waitingChangeIds(db: pg.ClientBase | pg.Pool, workspaceId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id::text AS id FROM pending_object_changes WHERE workspace_id = $1::uuid ORDER BY id LIMIT $2::int`, [workspaceId, limit]);
  return rows.map((r) => r.id);
}

/** The workspace's active triggers, as they are now (read per batch: an edit applies from the next batch). */
export async function activeTriggers(client: pg.ClientBase, workspaceId: string): Promise<ActiveTrigger[]> {
  return (await client.query<ActiveTrigger>(`SELECT id, version, event_type, base_object, condition FROM triggers WHERE workspace_id = $1::uuid AND active AND kind = 'change' ORDER BY id`, [workspaceId])).rows;
}

/** Stores the business events of `matches` (storeBusinessEvents, in the caller's transaction); returns how many were new. */
export async function storeMatches(client: pg.ClientBase, workspaceId: string, matches: readonly Match[]): Promise<number> {
  return storeBusinessEventsCounted(client, workspaceId, triggerMatchesOf(matches));
}

/** What storeBusinessEvents takes for each match: the trigger's id, version, event type and condition, and the change. */
export function triggerMatchesOf(matches: readonly Match[]): TriggerMatch[] {
  return matches.map(({ trigger, change }) => ({
    triggerId: trigger.id,
    triggerVersion: trigger.version,
    eventType: trigger.event_type,
    condition: trigger.condition,
    changeId: change.id,
    change: { object: change.object, recordId: change.recordId, changeType: change.changeType, time: change.time },
  }));
}

export interface Match {
  change: StoredChange;
  trigger: ActiveTrigger;
}

/** Every (change, trigger) whose condition is true for the change, in change order. */
export function matchesOf(changes: readonly StoredChange[], triggers: readonly ActiveTrigger[]): Match[] {
  const byObject = new Map<string, { trigger: ActiveTrigger; test: (context: unknown) => unknown }[]>();
  for (const trigger of triggers) {
    const compiled = compileCondition(trigger);
    if (!compiled) continue;
    const list = byObject.get(trigger.base_object) ?? [];
    list.push({ trigger, test: compiled });
    byObject.set(trigger.base_object, list);
  }
  const matches: Match[] = [];
  for (const change of changes) {
    const candidates = byObject.get(change.object);
    if (!candidates) continue;
    const context = conditionContext(change);
    for (const { trigger, test } of candidates) {
      if (holds(test, context, trigger, change)) matches.push({ change, trigger });
    }
  }
  return matches;
}

/** The trigger's compiled condition; null (and logged) for one that no longer compiles, which then matches nothing. */
export function compileCondition(trigger: Pick<ActiveTrigger, 'id' | 'base_object' | 'condition'>): ((context: unknown) => unknown) | null {
  try {
    return compile(trigger.condition, conditionSchemaFor(trigger.base_object));
  } catch (error) {
    logger.error({ triggerId: trigger.id, err: error }, 'trigger condition does not compile; it matches nothing');
    return null;
  }
}

// A condition never fails on data (lib/expressions); an unknown function is refused when a trigger is saved.
// Should one throw anyway, that change does not match that trigger, and the others go on.
function holds(test: (context: unknown) => unknown, context: unknown, trigger: ActiveTrigger, change: StoredChange): boolean {
  try {
    return Boolean(test(context));
  } catch (error) {
    logger.error({ triggerId: trigger.id, changeId: change.id, err: error }, 'trigger condition failed on a change; not matched');
    return false;
  }
}
