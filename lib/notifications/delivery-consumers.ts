import type pg from 'pg';
import { AckPolicy, DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { ensureDurableConsumer, type Streaming } from '@/lib/custom-events/streaming/nats';
import type { BusinessEventsMessage } from '@/lib/custom-events/streaming/outbox';
import { logger } from '@/lib/logger';
import { processWakeup } from '@/lib/process-wakeup';
import { recordDeliveries } from '@/lib/notifications/record-deliveries';

/** The durable consumer that records a workspace's deliveries from the business-events stream. */
export const deliveryConsumerName = (streaming: Streaming, workspaceId: string) => `${streaming.businessEventsStream}_DELIVER_${workspaceId.replace(/-/g, '')}`;

/** How often a process looks for workspaces that got their first endpoint (or lost their last). */
const RECONCILE_MS = 5_000;
/** A new consumer starts this long before the workspace's first endpoint was made: the app's and the NATS server's clocks may differ. */
const START_MARGIN_MS = 60_000;
/** Messages a workspace's consumer hands out before any is acknowledged (all processes together). */
const MAX_ACK_PENDING = 16;

export interface DeliveryConsumerOptions {
  /** Only these workspaces (tests that share a database and a stream). */
  workspaceIds?: string[];
  reconcileMs?: number;
  /** After a message's deliveries are recorded and it is acknowledged. */
  onRecorded?: (workspaceId: string, deliveries: number, deliveryCount: number) => void;
}

export interface DeliveryConsumers {
  /** Starts consuming for workspaces that got their first endpoint, stops for those that lost their last (also every 5 s). */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

const consumersWakeup = processWakeup('delivery-consumers');
/** Tells this process's consumers that an endpoint was made (its workspace may need a consumer); a no-op when none run. */
export function kickDeliveryConsumers(): void {
  consumersWakeup.wake();
}

/**
 * The JetStream path of notification deliveries: one durable consumer per workspace that has endpoints,
 * filtered on the workspace's subject of the business-events stream. For each message it records the
 * deliveries of the message's events (recordDeliveries: idempotent, unique per event and endpoint) and
 * acknowledges the message only once they are committed; a failure naks it (redelivered a second later), so
 * delivery is at least once and recording exactly once. Sending is not done here: the delivery worker claims
 * the recorded rows fairly per endpoint, with its retries, backoff, log and resend, so a slow endpoint never
 * holds a consumer, and a workspace's consumer never waits on another's. Any number of processes may run this:
 * a durable consumer hands each message to one of them.
 */
export async function startDeliveryConsumers(streaming: Streaming, pool: pg.Pool, options: DeliveryConsumerOptions = {}): Promise<DeliveryConsumers> {
  const running = new Map<string, { messages: ConsumerMessages; done: Promise<void> }>();
  let stopped = false;

  const consume = async (workspaceId: string, firstEndpointAt: Date) => {
    const durable = deliveryConsumerName(streaming, workspaceId);
    await ensureDurableConsumer(streaming, streaming.businessEventsStream, {
      durable_name: durable,
      filter_subject: streaming.businessEventsSubject(workspaceId),
      ack_policy: AckPolicy.Explicit,
      // From (just before) the workspace's first endpoint: events stored between its creation and this
      // consumer's are not missed. An existing consumer (made by this or another process) keeps its position.
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(firstEndpointAt.getTime() - START_MARGIN_MS).toISOString(),
      max_ack_pending: MAX_ACK_PENDING,
      ack_wait: nanos(60_000),
    });
    const consumer = await streaming.js.consumers.get(streaming.businessEventsStream, durable);
    const messages = await consumer.consume({ max_messages: MAX_ACK_PENDING });
    const done = (async () => {
      for await (const m of messages) {
        try {
          const message = m.json<BusinessEventsMessage>();
          const deliveries = await recordDeliveries(pool, message.workspaceId, message.events.map((e) => e.id));
          m.ack();
          options.onRecorded?.(message.workspaceId, deliveries, m.info.deliveryCount);
        } catch (error) {
          logger.error({ err: error, workspaceId, deliveryCount: m.info.deliveryCount }, 'recording deliveries of a business-events message failed; redelivered in a second');
          m.nak(1_000);
        }
      }
    })()
      .catch((error: unknown) => logger.error({ err: error, workspaceId }, 'a delivery consumer stopped; the next reconcile starts it again'))
      .finally(() => {
        if (running.get(workspaceId)?.messages === messages) running.delete(workspaceId);
      });
    running.set(workspaceId, { messages, done });
  };

  const reconcileOnce = async () => {
    const { rows } = await pool.query<{ workspace_id: string; first_endpoint_at: Date }>(
      `SELECT workspace_id::text AS workspace_id, min(created_at) AS first_endpoint_at FROM notification_endpoints
        WHERE $1::uuid[] IS NULL OR workspace_id = ANY($1::uuid[]) GROUP BY workspace_id`,
      [options.workspaceIds ?? null],
    );
    const wanted = new Set(rows.map((r) => r.workspace_id));
    for (const [workspaceId, r] of running) {
      // Its last endpoint is gone: stop pulling; the durable consumer keeps its position for when one comes back.
      if (!wanted.has(workspaceId)) {
        running.delete(workspaceId);
        await r.messages.close().catch(() => undefined);
      }
    }
    for (const r of rows) {
      if (stopped || running.has(r.workspace_id)) continue;
      await consume(r.workspace_id, r.first_endpoint_at).catch((error: unknown) => logger.error({ err: error, workspaceId: r.workspace_id }, 'a delivery consumer did not start; the next reconcile tries again'));
    }
  };

  // One pass at a time; calls during a pass share the one queued after it (which sees what they were made for).
  let current: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const reconcile = (): Promise<void> => {
    if (stopped) return current;
    queued ??= current.then(() => {
      queued = null;
      return stopped ? undefined : reconcileOnce().catch((error: unknown) => logger.warn({ err: error }, 'looking for workspaces with notification endpoints failed; trying again'));
    });
    current = queued;
    return queued;
  };
  const wake = () => void reconcile();
  const stopListening = consumersWakeup.listen(wake);
  const timer = setInterval(wake, options.reconcileMs ?? RECONCILE_MS);
  timer.unref();
  await reconcile();
  return {
    reconcile,
    async stop() {
      stopped = true;
      clearInterval(timer);
      stopListening();
      await current;
      const all = [...running.values()];
      running.clear();
      for (const r of all) await r.messages.close().catch(() => undefined);
      await Promise.all(all.map((r) => r.done));
    },
  };
}
