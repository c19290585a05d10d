import type pg from 'pg';
import type { Streaming } from '@/lib/custom-events/streaming/nats';
import { mergeChangeMessages, type OutboxRow } from '@/lib/custom-events/streaming/merge-change-messages';
import { inTransaction } from '@/lib/db/transaction';
import { logger } from '@/lib/logger';
import { processWakeup } from '@/lib/process-wakeup';

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

/** Business events per message of the business-events stream (storeBusinessEvents writes those messages to the outbox). */
export const EVENTS_PER_MESSAGE = 500;
const RELAY_BATCH = 500;

/** A message waiting in the stream outbox: its subject (whole), its JetStream message id, and its JSON body. */
export interface StreamMessage {
  subject: string;
  msgId: string;
  body: string;
}

/** Rows per INSERT of enqueueStreamMessages: three parameters each, far below the protocol's 65,535. */
const MESSAGES_PER_INSERT = 100;

/**
 * Writes messages to the stream outbox, in the caller's transaction; the relay publishes them in this order.
 * Each value is a parameter of its own (a VALUES row per message): a body goes to PostgreSQL as it is, where
 * an array parameter had it escaped into an array literal by Node and unescaped again by the server.
 */
export async function enqueueStreamMessages(client: pg.ClientBase, messages: readonly StreamMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += MESSAGES_PER_INSERT) {
    const part = messages.slice(i, i + MESSAGES_PER_INSERT);
    const rows = part.map((_, k) => `($${3 * k + 1}, $${3 * k + 2}, $${3 * k + 3})`).join(', ');
    await client.query(`INSERT INTO stream_outbox (subject, msg_id, body) VALUES ${rows}`, part.flatMap((m) => [m.subject, m.msgId, m.body]));
  }
}

/**
 * Publishes the outbox rows of this process's streams (its subject prefix), oldest first, and deletes what was
 * published, until none is left; returns the outbox rows published (the change messages waiting for one
 * partition go out merged into one: mergeChangeMessages). One relay per prefix at a time across
 * processes (an advisory lock; another process's relay finds it taken and leaves the work to it), so messages
 * go out in outbox order: a record's changes reach their partition in the order they were stored. Rows of
 * another prefix (another deployment, or a test, sharing the database) are left to their own relay; rows
 * written before subjects were whole (a workspace id alone) are business events of any prefix. A crash
 * between publishing and deleting publishes a row again: its message id makes JetStream keep one copy within
 * the duplicate window, and consumers dedupe beyond it (a change is claimed once; deliveries are recorded
 * once per event and endpoint).
 */
export async function relayOutbox(streaming: Streaming, pool: pg.Pool): Promise<number> {
  const prefix = streaming.config.prefix;
  let published = 0;
  for (;;) {
    const count = await inTransaction(pool, async (client) => {
      const { rows: lock } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended('stream-outbox-relay:' || $1::text, 0)) AS locked`, [prefix]);
      if (!lock[0]!.locked) return 0;
      const { rows } = await client.query<OutboxRow>(
        `SELECT id::text AS id, subject, msg_id AS "msgId", body FROM stream_outbox
          WHERE starts_with(subject, $2::text || '.') OR strpos(subject, '.') = 0
          ORDER BY stream_outbox.id LIMIT $1`,
        [RELAY_BATCH, prefix],
      );
      if (rows.length === 0) return 0;
      // Sent in order on the one connection, then their acknowledgements awaited together; the change messages
      // waiting for one partition go as one (mergeChangeMessages).
      const subjectOf = (subject: string) => (subject.includes('.') ? subject : streaming.businessEventsSubject(subject));
      await Promise.all(mergeChangeMessages(rows).map((m) => streaming.js.publish(subjectOf(m.subject), m.body, { msgID: m.msgId })));
      await client.query(`DELETE FROM stream_outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
    published += count;
    if (count < RELAY_BATCH) return published;
  }
}

const relayWakeup = processWakeup('stream-outbox-relay');

/** Wakes this process's relay (after a transaction stored business events); a no-op when none runs. */
export function kickOutboxRelay(): void {
  relayWakeup.wake();
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
  const stopListening = relayWakeup.listen(run);
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      stopListening();
      await running;
    },
  };
}
