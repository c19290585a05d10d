import type pg from 'pg';
import { AckPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { activeTriggers, claimPendingChanges, compareChangeIds, matchesOf, triggerMatchesOf, unbatchWaitingChanges, type ProcessReport } from '@/lib/custom-events/changes/process-changes';
import { takeFreshChanges } from '@/lib/custom-events/changes/fresh-changes';
import { storeBusinessEventsOfChanges } from '@/lib/custom-events/business-events/store-business-events';
import { enqueueStreamMessages, kickOutboxRelay, type StreamMessage } from '@/lib/custom-events/streaming/outbox';
import { changesSubjectOf, ensureDurableConsumer, partitionOf, type Streaming, type StreamingConfig } from '@/lib/custom-events/streaming/nats';
import { inTransaction } from '@/lib/db/transaction';
import { logger } from '@/lib/logger';

/**
 * A message of the changes stream: ids of stored changes of one workspace, all in one partition, in the order
 * they were stored (id order, for a message the relay did not merge: mergeChangeMessages). `batches`, when
 * present, names the groups of waiting changes (pending_change_batches, by their first ids) that hold them:
 * announceChanges' messages have it, the sweep's (changes waiting one by one) do not.
 */
export interface ChangeMessage {
  workspaceId: string;
  ids: string[];
  batches?: string[];
}

export interface ChangeRef {
  id: string;
  object: string;
  recordId: string;
}

const MAX_IDS_PER_MESSAGE = 1_000;
/** Batches of change messages in flight per process (startChangeWorkers). */
const BATCHERS = 2;

/**
 * Queues stored changes of a workspace for evaluation and writes the messages announcing them, in the
 * caller's transaction (the one storing them, which must not have queued them: insertObjectChanges with
 * `queue: false`): one message per partition (and per 1,000 ids), each holding its ids in id order, and a
 * group of waiting changes per message (pending_change_batches, named by its first id), which the worker
 * claims whole. The messages go to the stream outbox that the relay publishes in outbox order
 * (lib/custom-events/streaming/outbox.ts), so every stored change is published (at least once, even if the
 * process dies after the commit), and a record's changes reach its partition's consumer in the order they were
 * stored. `tag` makes the message ids (JetStream's deduplication) differ by source. Kick the relay
 * (kickOutboxRelay) after the commit. Returns the messages queued.
 */
export async function announceChanges(client: pg.ClientBase, config: Pick<StreamingConfig, 'prefix' | 'partitions'>, workspaceId: string, changes: readonly ChangeRef[], tag = 'api'): Promise<number> {
  const groups = idsByMessage(config, changes);
  if (groups.length === 0) return 0;
  await client.query(
    `INSERT INTO pending_change_batches (first_id, workspace_id, ids)
     SELECT g.ids[1], $1::uuid, g.ids FROM unnest($2::text[]) AS u(list) CROSS JOIN LATERAL (SELECT string_to_array(u.list, ',')::bigint[] AS ids) g`,
    [workspaceId, groups.map((g) => g.ids.join(','))],
  );
  await enqueueStreamMessages(client, groups.map((g) => changeMessageOf(config, workspaceId, g, tag, { workspaceId, ids: g.ids, batches: [g.ids[0]!] })));
  return groups.length;
}

/**
 * Writes the messages announcing changes that already wait one by one (pending_object_changes): the sweep's,
 * and tests'. As announceChanges, without the groups.
 */
export async function enqueueChangeMessages(client: pg.ClientBase, config: Pick<StreamingConfig, 'prefix' | 'partitions'>, workspaceId: string, changes: readonly ChangeRef[], tag = 'api'): Promise<number> {
  const groups = idsByMessage(config, changes);
  await enqueueStreamMessages(client, groups.map((g) => changeMessageOf(config, workspaceId, g, tag, { workspaceId, ids: g.ids })));
  return groups.length;
}

/** The changes' ids by message: per partition, in id order, at most MAX_IDS_PER_MESSAGE each. */
function idsByMessage(config: Pick<StreamingConfig, 'partitions'>, changes: readonly ChangeRef[]): { partition: number; ids: string[] }[] {
  const byPartition = new Map<number, string[]>();
  for (const change of changes) {
    const partition = partitionOf(change.object, change.recordId, config.partitions);
    const ids = byPartition.get(partition) ?? [];
    ids.push(change.id);
    byPartition.set(partition, ids);
  }
  const groups: { partition: number; ids: string[] }[] = [];
  for (const [partition, ids] of byPartition) {
    ids.sort(compareChangeIds);
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_MESSAGE) groups.push({ partition, ids: ids.slice(i, i + MAX_IDS_PER_MESSAGE) });
  }
  return groups;
}

function changeMessageOf(config: Pick<StreamingConfig, 'prefix'>, workspaceId: string, group: { partition: number; ids: string[] }, tag: string, message: ChangeMessage): StreamMessage {
  const { ids } = group;
  return { subject: changesSubjectOf(config.prefix, group.partition), msgId: `${tag}:${workspaceId}:${ids[0]}:${ids.at(-1)}:${ids.length}`, body: JSON.stringify(message) };
}

/**
 * The sweep that keeps Postgres the source of truth: changes waiting that were stored more than `olderThanMs`
 * ago are announced again, through the outbox (up to `limit` per workspace). They were stored by a path that
 * does not announce (the API while JetStream was off), or their message is still on its way. Groups that old
 * (pending_change_batches) first wait one by one (unbatchWaitingChanges), so that whichever message comes
 * first, the group's own or the sweep's, claims each change once, and the other finds nothing to do.
 */
export async function sweepUnprocessedChanges(streaming: Streaming, pool: pg.Pool, olderThanMs: number, limit = 50_000): Promise<number> {
  // Groups that old wait one by one from here (their message may still come: it then claims them one by one).
  await unbatchWaitingChanges(pool, { olderThanMs });
  const { rows } = await pool.query<{ workspace_id: string; id: string; object: string; record_id: string }>(
    // Up to `limit` per workspace, oldest first, each change by its primary key (LATERAL ... LIMIT 1).
    `SELECT w.id AS workspace_id, c.id, c.object, c.record_id FROM workspaces w
       CROSS JOIN LATERAL (SELECT p.id FROM pending_object_changes p WHERE p.workspace_id = w.id ORDER BY p.id LIMIT $2) p
       CROSS JOIN LATERAL (SELECT c.id::text AS id, c.object, c.record_id, c.received_at FROM object_changes c WHERE c.id = p.id LIMIT 1) c
      WHERE c.received_at < clock_timestamp() - make_interval(secs => $1::double precision / 1000)
      ORDER BY w.id, p.id`,
    [olderThanMs, limit],
  );
  const byWorkspace = new Map<string, ChangeRef[]>();
  for (const r of rows) {
    const list = byWorkspace.get(r.workspace_id) ?? [];
    list.push({ id: r.id, object: r.object, recordId: r.record_id });
    byWorkspace.set(r.workspace_id, list);
  }
  if (byWorkspace.size === 0) return 0;
  const tag = `sweep-${Date.now()}`;
  await inTransaction(pool, async (client) => {
    for (const [workspaceId, changes] of byWorkspace) await enqueueChangeMessages(client, streaming.config, workspaceId, changes, tag);
  });
  kickOutboxRelay();
  return rows.length;
}

/**
 * Processes one message: those of its changes that still wait, in id order, in one transaction that claims
 * them (claimPendingChanges): the same evaluation as processChanges, business events through
 * storeBusinessEvents. A message delivered twice (or a sweep's second message) finds its changes claimed and
 * stores nothing. The outbox publishes a record's changes in the order they were stored, so its older changes
 * were processed before.
 */
export async function processChangeMessage(pool: pg.Pool, message: ChangeMessage): Promise<ProcessReport> {
  return (await processChangeMessages(pool, [message]))[0]!;
}

/**
 * Processes several messages (of distinct partitions, as the workers hand them over) in one transaction, as
 * processChangeMessage does one: per workspace, one claim of all their ids, one evaluation, one insert of
 * business events. Fewer and larger statements than a transaction per message, which on a small machine
 * spent its time in commits and in contention between the partitions. Returns a report per message.
 */
export async function processChangeMessages(pool: pg.Pool, messages: readonly ChangeMessage[]): Promise<ProcessReport[]> {
  const reports = messages.map(() => ({ changes: 0, businessEvents: 0 }));
  const byWorkspace = new Map<string, number[]>();
  messages.forEach((m, i) => {
    const indexes = byWorkspace.get(m.workspaceId) ?? [];
    indexes.push(i);
    byWorkspace.set(m.workspaceId, indexes);
  });
  return inTransaction(pool, async (client) => {
    for (const [workspaceId, indexes] of byWorkspace) {
      const messageOf = new Map<string, number>();
      for (const i of indexes) for (const id of messages[i]!.ids) messageOf.set(id, i);
      const batches = indexes.flatMap((i) => messages[i]!.batches ?? []);
      const changes = await claimPendingChanges(client, workspaceId, { ids: [...messageOf.keys()], batches });
      if (changes.length === 0) continue;
      // A group holds its message's ids; a change of a group that no message lists (a message made by hand) counts for the first.
      const reportOf = (changeId: string) => reports[messageOf.get(changeId) ?? indexes[0]!]!;
      for (const c of changes) reportOf(c.id).changes += 1;
      const eventsOf = await storeBusinessEventsOfChanges(client, workspaceId, triggerMatchesOf(matchesOf(changes, await activeTriggers(client, workspaceId))));
      for (const changeId of eventsOf) reportOf(changeId).businessEvents += 1;
    }
    return reports;
  });
}

const areChangeIds = (ids: unknown): ids is string[] => Array.isArray(ids) && ids.every((id) => typeof id === 'string' && /^\d{1,19}$/.test(id));

export interface ChangeWorkers {
  stop(): Promise<void>;
}

/** The durable consumer of a partition: one per partition, shared by every worker process, one message in flight. */
export const partitionConsumer = (streaming: Streaming, partition: number) => `${streaming.changesStream}_P${partition}`;

/**
 * Consumes every partition of the changes stream in this process (several processes, on several machines,
 * may run this: each partition's durable consumer hands its next message to whoever pulls, one at a time,
 * since max_ack_pending is 1). The messages that arrive while a transaction runs are processed together in
 * the next one (processChangeMessages), then acked; when a batch fails, its messages are tried one by one, so
 * one that keeps failing is nak'ed (redelivered after a second) without holding back the others. A message
 * that is not a change message is logged and dropped (term): redelivering it could never succeed.
 */
export async function startChangeWorkers(streaming: Streaming, pool: pg.Pool, options: { onProcessed?: (report: ProcessReport, deliveryCount: number) => void } = {}): Promise<ChangeWorkers> {
  type Delivery = { message: JsMsg; body: ChangeMessage; partition: number; handled: () => void };
  const queue: Delivery[] = [];
  let stopped = false;

  const settle = (delivery: Delivery, report: ProcessReport | Error) => {
    if (report instanceof Error) {
      logger.error({ err: report, partition: delivery.partition, deliveryCount: delivery.message.info.deliveryCount }, 'a change message failed; redelivered in a second');
      delivery.message.nak(1_000);
    } else {
      delivery.message.ack();
      options.onProcessed?.(report, delivery.message.info.deliveryCount);
    }
    delivery.handled();
  };
  const processBatch = async (batch: Delivery[]) => {
    try {
      const reports = await processChangeMessages(pool, batch.map((d) => d.body));
      batch.forEach((d, i) => settle(d, reports[i]!));
    } catch (error) {
      if (batch.length === 1) settle(batch[0]!, error instanceof Error ? error : new Error(String(error)));
      else for (const d of batch) await processBatch([d]);
    }
  };
  const waiting: (() => void)[] = [];
  const wakeAll = () => waiting.splice(0).forEach((resolve) => resolve());
  // Two transactions in flight: one evaluates in Node while the other's statements run in PostgreSQL.
  const batchers = Array.from({ length: BATCHERS }, async () => {
    while (!stopped || queue.length > 0) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      const batch = queue.splice(0);
      await processBatch(batch);
      kickOutboxRelay();
    }
  });

  const running: { messages: ConsumerMessages; done: Promise<void> }[] = [];
  for (let partition = 0; partition < streaming.config.partitions; partition++) {
    const durable = partitionConsumer(streaming, partition);
    await ensureDurableConsumer(streaming, streaming.changesStream, {
      durable_name: durable,
      filter_subject: streaming.changesSubject(partition),
      ack_policy: AckPolicy.Explicit,
      max_ack_pending: 1,
      ack_wait: nanos(60_000),
    });
    const consumer = await streaming.js.consumers.get(streaming.changesStream, durable);
    const messages = await consumer.consume({ max_messages: 1 });
    const done = (async () => {
      for await (const message of messages) {
        let body: ChangeMessage;
        try {
          body = message.json<ChangeMessage>();
          if (typeof body?.workspaceId !== 'string' || !areChangeIds(body.ids) || (body.batches !== undefined && !areChangeIds(body.batches))) throw new Error('not a change message');
        } catch (error) {
          logger.error({ err: error, partition, seq: message.seq }, 'dropped a message of the changes stream that is not a change message');
          message.term();
          continue;
        }
        // Handled (acked or nak'ed) before this partition's next message can come (max_ack_pending 1).
        await new Promise<void>((handled) => {
          queue.push({ message, body, partition, handled });
          wakeAll();
        });
      }
    })();
    running.push({ messages, done });
  }
  // The changes this process's route stores are kept for these workers while they run (fresh-changes.ts).
  const endTaking = takeFreshChanges();
  return {
    async stop() {
      for (const r of running) await r.messages.close().catch(() => undefined);
      stopped = true;
      wakeAll();
      await Promise.all(batchers);
      await Promise.all(running.map((r) => r.done.catch(() => undefined)));
      endTaking();
    },
  };
}
