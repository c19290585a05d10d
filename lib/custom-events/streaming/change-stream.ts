import type pg from 'pg';
import { AckPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { ObjectChange } from '@/lib/custom-events/changes/object-change';
import { activeTriggers, matchesOf, storeMatches, type ProcessReport, type StoredChange } from '@/lib/custom-events/changes/process-changes';
import { kickOutboxRelay } from '@/lib/custom-events/streaming/outbox';
import { ensureDurableConsumer, partitionOf, type Streaming } from '@/lib/custom-events/streaming/nats';
import { inTransaction } from '@/lib/db/transaction';
import { logger } from '@/lib/logger';

/** A message of the changes stream: ids of stored changes of one workspace, all in one partition, in id order. */
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

/**
 * Publishes stored changes of a workspace to the changes stream: one message per partition (and per 1,000
 * ids), each holding its ids in id order, so a record's changes reach its partition's consumer in order.
 * Call it after the transaction that stored them commits. `tag` makes the message ids (JetStream's
 * deduplication) differ between a first publication and a sweep's.
 */
export async function publishChanges(streaming: Streaming, workspaceId: string, changes: readonly ChangeRef[], tag = 'api'): Promise<number> {
  const byPartition = new Map<number, string[]>();
  for (const change of changes) {
    const partition = partitionOf(change.object, change.recordId, streaming.config.partitions);
    const ids = byPartition.get(partition) ?? [];
    ids.push(change.id);
    byPartition.set(partition, ids);
  }
  const publications: Promise<unknown>[] = [];
  for (const [partition, ids] of byPartition) {
    ids.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_MESSAGE) {
      const chunk = ids.slice(i, i + MAX_IDS_PER_MESSAGE);
      const message: ChangeMessage = { workspaceId, ids: chunk };
      publications.push(streaming.js.publish(streaming.changesSubject(partition), JSON.stringify(message), { msgID: `${tag}:${workspaceId}:${chunk[0]}:${chunk.at(-1)}:${chunk.length}` }));
    }
  }
  await Promise.all(publications);
  return publications.length;
}

/**
 * The sweep that keeps Postgres the source of truth: changes stored more than `olderThanMs` ago and still
 * not processed (their publication failed, or they came by a path that does not publish) are published
 * again. Processing is idempotent, so one still on its way is harmless.
 */
export async function sweepUnprocessedChanges(streaming: Streaming, pool: pg.Pool, olderThanMs: number, limit = 50_000): Promise<number> {
  const { rows } = await pool.query<{ workspace_id: string; id: string; object: string; record_id: string }>(
    // Per workspace through the (workspace_id, processed_at, id) index: never a scan of every stored change.
    `SELECT w.id AS workspace_id, c.id, c.object, c.record_id FROM workspaces w
       CROSS JOIN LATERAL (
         SELECT c.id::text AS id, c.object, c.record_id, c.received_at FROM object_changes c
          WHERE c.workspace_id = w.id AND c.processed_at IS NULL
          ORDER BY c.workspace_id, c.processed_at, c.id LIMIT $2) c
      WHERE c.received_at < clock_timestamp() - make_interval(secs => $1::double precision / 1000)`,
    [olderThanMs, limit],
  );
  const byWorkspace = new Map<string, ChangeRef[]>();
  for (const r of rows) {
    const list = byWorkspace.get(r.workspace_id) ?? [];
    list.push({ id: r.id, object: r.object, recordId: r.record_id });
    byWorkspace.set(r.workspace_id, list);
  }
  for (const [workspaceId, changes] of byWorkspace) await publishChanges(streaming, workspaceId, changes, `sweep-${Date.now()}`);
  return rows.length;
}

/**
 * Processes one message: its changes that are still unprocessed, and before them any older unprocessed
 * change of the same records (a message whose publication failed and waits for the sweep), all in id
 * order, in one transaction: the same evaluation as processChanges, business events through
 * storeBusinessEvents, then marked processed. A message delivered twice finds its changes processed and
 * stores nothing.
 */
export async function processChangeMessage(pool: pg.Pool, message: ChangeMessage): Promise<ProcessReport> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; object: string; record_id: string; change_type: ObjectChange['changeType']; current: ObjectChange['current']; previous: ObjectChange['previous']; changed_at: Date }>(
      // Written so that every step is an index lookup: by id (LATERAL with LIMIT), then a record's older
      // changes by the record index (processed_at kept out of the index conditions). Otherwise the planner
      // walked the workspace's waiting changes for every change of every message: seconds per message.
      `WITH given AS MATERIALIZED (
         SELECT c.id, c.object, c.record_id FROM unnest($2::bigint[]) AS m(id)
          CROSS JOIN LATERAL (SELECT c.id, c.object, c.record_id, c.workspace_id, c.processed_at FROM object_changes c WHERE c.id = m.id LIMIT 1) c
          WHERE c.workspace_id = $1::uuid AND c.processed_at IS NULL),
       older AS MATERIALIZED (
         SELECT o.id FROM given g CROSS JOIN LATERAL (
           SELECT o.id FROM object_changes o
            WHERE o.workspace_id = $1::uuid AND o.object = g.object AND o.record_id = g.record_id AND o.id < g.id
              AND coalesce(o.processed_at, 'infinity') = 'infinity'
            ORDER BY o.workspace_id, o.object, o.record_id, o.id LIMIT 10000) o)
       SELECT c.id::text AS id, c.object, c.record_id, c.change_type, c.current, c.previous, c.changed_at
         FROM object_changes c
        WHERE c.id = ANY(ARRAY(SELECT id FROM given UNION SELECT id FROM older))
        ORDER BY c.id`,
      [message.workspaceId, message.ids],
    );
    if (rows.length === 0) return { changes: 0, businessEvents: 0 };
    const changes: StoredChange[] = rows.map((r) => ({ id: r.id, object: r.object, recordId: r.record_id, changeType: r.change_type, current: r.current, previous: r.previous, time: r.changed_at.toISOString() }));
    const businessEvents = await storeMatches(client, message.workspaceId, matchesOf(changes, await activeTriggers(client, message.workspaceId)));
    await client.query(`UPDATE object_changes SET processed_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [changes.map((c) => c.id)]);
    return { changes: changes.length, businessEvents };
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
 * since max_ack_pending is 1). A message is acked after its transaction commits, and nak'ed (redelivered
 * after a second) when processing fails.
 */
export async function startChangeWorkers(streaming: Streaming, pool: pg.Pool, options: { onProcessed?: (report: ProcessReport, deliveryCount: number) => void } = {}): Promise<ChangeWorkers> {
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
      for await (const m of messages) {
        try {
          const report = await processChangeMessage(pool, m.json<ChangeMessage>());
          m.ack();
          options.onProcessed?.(report, m.info.deliveryCount);
          if (report.businessEvents > 0) kickOutboxRelay();
        } catch (error) {
          logger.error({ err: error, partition, deliveryCount: m.info.deliveryCount }, 'a change message failed; redelivered in a second');
          m.nak(1_000);
        }
      }
    })();
    running.push({ messages, done });
  }
  return {
    async stop() {
      for (const r of running) await r.messages.close().catch(() => undefined);
      await Promise.all(running.map((r) => r.done.catch(() => undefined)));
    },
  };
}
