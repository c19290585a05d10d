import { DeliverPolicy } from '@nats-io/jetstream';
import type { BusinessEventsMessage, StreamedBusinessEvent } from '@/lib/custom-events/streaming/outbox';
import type { Streaming } from '@/lib/custom-events/streaming/nats';

export interface ReplayedBusinessEvent extends StreamedBusinessEvent {
  workspaceId: string;
  /** When the stream stored the message that carried it. */
  publishedAt: string;
  /** The stream sequence of that message. */
  seq: number;
}

export interface ReplayOptions {
  /** Replay messages the stream stored at or after this time. */
  since: Date;
  /** Only this workspace's events (its subject); all workspaces when absent. */
  workspaceId?: string;
  /** Stop after this many events (default 10,000). */
  limit?: number;
}

/**
 * Replays the business-events stream from a point in time with an ordered (ephemeral) consumer: every event
 * published since `since`, oldest first, up to what the stream held when the replay began. The stream keeps
 * 7 days. A delivery system that was down can catch up with it; the events' rows stay in Postgres.
 */
export async function replayBusinessEvents(streaming: Streaming, options: ReplayOptions): Promise<ReplayedBusinessEvent[]> {
  const limit = options.limit ?? 10_000;
  const events: ReplayedBusinessEvent[] = [];
  for await (const batch of businessEventsSince(streaming, options)) {
    events.push(...batch);
    if (events.length >= limit) break;
  }
  return events.slice(0, limit);
}

/**
 * The stream's events since `since`, a message's events at a time (oldest first), without holding them all:
 * the re-delivery of a week's events (lib/notifications/replay-deliveries.ts) reads it this way. Stops when
 * the stream had nothing more when asked; the consumer is deleted when the caller stops reading.
 */
export async function* businessEventsSince(streaming: Streaming, options: Omit<ReplayOptions, 'limit'>): AsyncGenerator<ReplayedBusinessEvent[]> {
  const consumer = await streaming.js.consumers.get(streaming.businessEventsStream, {
    filter_subjects: streaming.businessEventsSubject(options.workspaceId ?? '*'),
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: options.since.toISOString(),
  });
  try {
    for (;;) {
      const m = await consumer.next({ expires: 1_000 });
      if (!m) return;
      const message = m.json<BusinessEventsMessage>();
      const publishedAt = m.time.toISOString();
      yield message.events.map((e) => ({ ...e, workspaceId: message.workspaceId, publishedAt, seq: m.seq }));
      if (m.info.pending === 0) return;
    }
  } finally {
    await consumer.delete().catch(() => false);
  }
}
