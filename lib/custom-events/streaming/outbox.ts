import type pg from 'pg';
import type { Streaming } from '@/lib/custom-events/streaming/nats';
import { streamingEnabled } from '@/lib/custom-events/streaming/nats';
import { inTransaction } from '@/lib/db/transaction';
import { logger } from '@/lib/logger';

/** A business event as the business-events stream carries it: enough to find it (the row stays the truth). */
export interface StreamedBusinessEvent {
  id: string;
  eventType: string;
}

/** A message of the business-events stream: events of one workspace stored in one transaction. */
export interface BusinessEventsMessage {
  workspaceId: string;
  events: StreamedBusinessEvent[];
}

const EVENTS_PER_MESSAGE = 500;
const RELAY_BATCH = 500;

/**
 * Writes the messages announcing `events` to the outbox, in the caller's transaction (the one storing the
 * events), when JetStream is in use; nothing otherwise. storeBusinessEvents calls it, so every path that
 * makes business events publishes them.
 */
export async function enqueueBusinessEvents(client: pg.ClientBase, workspaceId: string, events: readonly StreamedBusinessEvent[]): Promise<void> {
  if (events.length === 0 || !streamingEnabled()) return;
  const subjects: string[] = [];
  const msgIds: string[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += EVENTS_PER_MESSAGE) {
    const chunk = events.slice(i, i + EVENTS_PER_MESSAGE);
    const message: BusinessEventsMessage = { workspaceId, events: chunk.map((e) => ({ id: e.id, eventType: e.eventType })) };
    subjects.push(workspaceId);
    msgIds.push(`be:${chunk[0]!.id}:${chunk.length}`);
    bodies.push(JSON.stringify(message));
  }
  await client.query(`INSERT INTO stream_outbox (subject, msg_id, body) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`, [subjects, msgIds, bodies]);
}

/**
 * Publishes the outbox to the business-events stream, oldest first, and deletes what was published, until it
 * is empty; returns the messages published. Rows are taken with SKIP LOCKED, so relays in several processes
 * share the work. A crash between publishing and deleting publishes a row again: its message id makes
 * JetStream keep one copy within the duplicate window, and consumers dedupe by event id beyond it.
 */
export async function relayOutbox(streaming: Streaming, pool: pg.Pool): Promise<number> {
  let published = 0;
  for (;;) {
    const count = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ id: string; subject: string; msg_id: string; body: unknown }>(
        `SELECT id::text AS id, subject, msg_id, body FROM stream_outbox ORDER BY stream_outbox.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [RELAY_BATCH],
      );
      if (rows.length === 0) return 0;
      await Promise.all(rows.map((r) => streaming.js.publish(streaming.businessEventsSubject(r.subject), JSON.stringify(r.body), { msgID: r.msg_id })));
      await client.query(`DELETE FROM stream_outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
    published += count;
    if (count < RELAY_BATCH) return published;
  }
}

let kick: (() => void) | null = null;

/** Wakes this process's relay (after a transaction stored business events); a no-op when none runs. */
export function kickOutboxRelay(): void {
  kick?.();
}

/** Runs the relay in this process: on every kick, and every `intervalMs` for rows other processes left. */
export function startOutboxRelay(streaming: Streaming, pool: pg.Pool, intervalMs = 1_000): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = relayOutbox(streaming, pool)
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, 'business events not yet published to JetStream; the relay tries again'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  kick = run;
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (kick === run) kick = null;
      await running;
    },
  };
}
