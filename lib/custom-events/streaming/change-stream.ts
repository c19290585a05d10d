import type pg from 'pg';
import { AckPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { activeTriggers, claimPendingChanges, matchesOf, triggerMatchesOf, type ProcessReport } from '@/lib/custom-events/changes/process-changes';
import { takeFreshChanges } from '@/lib/custom-events/changes/fresh-changes';
import { storeBusinessEventsOfChanges } from '@/lib/custom-events/business-events/store-business-events';
import { enqueueStreamMessages, kickOutboxRelay, type StreamMessage } from '@/lib/custom-events/streaming/outbox';
import { changesSubjectOf, ensureDurableConsumer, partitionOf, type Streaming, type StreamingConfig } from '@/lib/custom-events/streaming/nats';
import { inTransaction } from '@/lib/db/transaction';
import { logger } from '@/lib/logger';

/**
 * A message of the changes stream: ids of stored changes of one workspace, all in one partition, in the order
 * they were stored (id order, for a message the relay did not merge: mergeChangeMessages).
 */
export interface ChangeMessage {
  workspaceId: string;
  ids: string[];
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
 * Queues the messages announcing stored changes of a workspace on the changes stream, in the caller's
 * transaction (the one storing them, or claiming them for a sweep): one message per partition (and per 1,000
 * ids), each holding its ids in id order, written to the stream outbox that the relay publishes in outbox order
 * (lib/custom-events/streaming/outbox.ts). So every stored change is published (at least once, even if the
 * process dies after the commit), and a record's changes reach its partition's consumer in the order they
 * were stored. `tag` makes the message ids (JetStream's deduplication) differ between a first publication and
 * a sweep's. Kick the relay (kickOutboxRelay) after the commit. Returns the messages queued.
 */
export async function enqueueChangeMessages(client: pg.ClientBase, config: Pick<StreamingConfig, 'prefix' | 'partitions'>, workspaceId: string, changes: readonly ChangeRef[], tag = 'api'): Promise<number> {
  const byPartition = new Map<number, string[]>();
  for (const change of changes) {
    const partition = partitionOf(change.object, change.recordId, config.partitions);
    const ids = byPartition.get(partition) ?? [];
    ids.push(change.id);
    byPartition.set(partition, ids);
  }
  const messages: StreamMessage[] = [];
  for (const [partition, ids] of byPartition) {
    ids.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_MESSAGE) {
      const chunk = ids.slice(i, i + MAX_IDS_PER_MESSAGE);
      const message: ChangeMessage = { workspaceId, ids: chunk };
      messages.push({ subject: changesSubjectOf(config.prefix, partition), msgId: `${tag}:${workspaceId}:${chunk[0]}:${chunk.at(-1)}:${chunk.length}`, body: JSON.stringify(message) });
    }
  }
  await enqueueStreamMessages(client, messages);
  return messages.length;
}

/**
 * The sweep that keeps Postgres the source of truth: changes waiting (pending_object_changes) that were stored
 * more than `olderThanMs` ago are announced again, through the outbox (up to `limit` per workspace). They were stored by a path that does
 * not announce (change capture, or the API while JetStream was off), or their message is still on its way;
 * processing claims each change once, so a second message for it finds nothing to do.
 */
export async function sweepUnprocessedChanges(streaming: Streaming, pool: pg.Pool, olderThanMs: number, limit = 50_000): Promise<number> {
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
      const changes = await claimPendingChanges(client, workspaceId, { ids: [...messageOf.keys()] });
      if (changes.length === 0) continue;
      for (const c of changes) reports[messageOf.get(c.id)!]!.changes += 1;
      const eventsOf = await storeBusinessEventsOfChanges(client, workspaceId, triggerMatchesOf(matchesOf(changes, await activeTriggers(client, workspaceId))));
      for (const changeId of eventsOf) reports[messageOf.get(changeId)!]!.businessEvents += 1;
    }
    return reports;
  });
}

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
          if (typeof body?.workspaceId !== 'string' || !Array.isArray(body.ids) || !body.ids.every((id) => typeof id === 'string' && /^\d{1,19}$/.test(id))) throw new Error('not a change message');
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
