import pg from 'pg';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { captureSession, type CaptureConnector, type CaptureHooks } from '@/lib/custom-events/connectors/capture';
import type { TableMapping } from '@/lib/custom-events/connectors/mappings';
import { kickOutboxRelay } from '@/lib/custom-events/streaming/outbox';
import { streamingEnabled } from '@/lib/custom-events/streaming/nats';
import { ensurePublicationAndSlot, openSourceUrl, slotLag, withSource } from '@/lib/custom-events/connectors/source';
import { isAppError } from '@/lib/errors';
import { logger } from '@/lib/logger';

/**
 * Runs the connectors whose desired state is `running`: every process that starts a runner (the `npm start`
 * server, each `npm run worker`) polls the connectors table and takes each one it can lock — a session
 * advisory lock on the console database, so one process runs a connector at a time and another takes over
 * within a poll when that process dies. Stop and Start (the desired state) take effect at the next poll.
 * A running connector reconnects after a failure with backoff (1 s doubling to 30 s), recording the error;
 * reports status, lag and the time of its report every few seconds; and after each stored source
 * transaction evaluates the workspace's changes against its triggers (errors logged, the changes stay).
 */
export interface ConnectorRunner {
  /** Ids of the connectors this process runs now. */
  running(): string[];
  /** Polls now (tests; the timer polls every `pollMs`). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunnerOptions {
  pollMs?: number;
  reportMs?: number;
  /** Test hooks passed to each capture session. */
  hooks?: CaptureHooks;
  /** Run only these connectors (tests share a database with other files' connectors). */
  only?: (id: string) => boolean;
}

const MAX_BACKOFF_MS = 30_000;

interface Held {
  abort: AbortController;
  done: Promise<void>;
}

export function startConnectorRunner(pool: pg.Pool, options: RunnerOptions = {}): ConnectorRunner {
  const held = new Map<string, Held>();
  let stopped = false;
  let polling: Promise<void> | null = null;

  const pollOnce = async () => {
    const { rows } = await pool.query<{ id: string; desired_state: string }>(`SELECT id, desired_state FROM connectors`);
    const wanted = new Set(rows.filter((r) => r.desired_state === 'running' && (options.only?.(r.id) ?? true)).map((r) => r.id));
    for (const [id, run] of held) if (!wanted.has(id)) run.abort.abort();
    for (const id of wanted) {
      if (held.has(id) || stopped) continue;
      const lock = await tryLock(pool, id);
      if (!lock) continue;
      const abort = new AbortController();
      const done = runConnector(pool, id, lock, abort.signal, options).finally(() => held.delete(id));
      held.set(id, { abort, done });
    }
  };
  const poll = () => (polling ??= pollOnce().catch((error) => logger.error({ err: error }, 'connector runner poll failed')).finally(() => (polling = null)));
  const timer = setInterval(() => void poll(), options.pollMs ?? 2_000);
  timer.unref?.();
  void poll();

  return {
    running: () => [...held.keys()],
    poll,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await polling;
      for (const run of held.values()) run.abort.abort();
      await Promise.all([...held.values()].map((r) => r.done));
    },
  };
}

/**
 * A dedicated console connection (not from the pool, which it would hold for as long as the connector runs)
 * holding the connector's session advisory lock, or null when another process holds it.
 */
async function tryLock(pool: pg.Pool, id: string): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: (pool.options as pg.PoolConfig).connectionString, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // the session's end is noticed by runConnector
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended('connector:' || $1::text, 0)) AS locked`, [id]).catch(async (error) => {
    await client.end().catch(() => undefined);
    throw error;
  });
  if (rows[0]!.locked) return client;
  await client.end().catch(() => undefined);
  return null;
}

async function runConnector(pool: pg.Pool, id: string, lock: pg.Client, signal: AbortSignal, options: RunnerOptions): Promise<void> {
  const lost = new AbortController();
  const onLockError = () => lost.abort();
  lock.on('error', onLockError);
  const stop = AbortSignal.any([signal, lost.signal]);
  const processing = processor(pool);
  let backoff = 1_000;
  try {
    while (!stop.aborted) {
      const stored = await loadConnector(pool, id);
      if (!stored) return;
      let reporter: ReturnType<typeof startReporter> | null = null;
      try {
        // Decrypted here, so a SECRETS_KEY that does not open it shows as the connector's error, like any other.
        const connector = { ...stored, sourceUrl: openSourceUrl(stored.sourceUrl) };
        reporter = startReporter(pool, connector, options.reportMs ?? 5_000);
        await setStatus(pool, id, 'starting');
        await withSource(connector.sourceUrl, (client) => ensurePublicationAndSlot(client, connector.publication, connector.slot, connector.mappings.map((m) => m.table)));
        processing.kick(connector.workspaceId);
        await captureSession(connector, pool, stop, {
          hooks: {
            ...options.hooks,
            onStart: () => {
              backoff = 1_000;
              void setStatus(pool, id, 'running').then(() => reporter?.report());
              options.hooks?.onStart?.();
            },
          },
          onChanges: () => processing.kick(connector.workspaceId),
        });
      } catch (error) {
        if (stop.aborted) break;
        const message = isAppError(error) ? error.userMessage : describe(error);
        logger.warn({ connectorId: id, error: message }, 'connector failed; reconnecting');
        await pool.query(`UPDATE connectors SET status = 'error', last_error = $2, last_error_at = now(), reported_at = now() WHERE id = $1`, [id, message]).catch(() => undefined);
        await sleep(backoff, stop);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } finally {
        await reporter?.stop();
      }
    }
  } finally {
    await processing.idle();
    await pool.query(`UPDATE connectors SET status = 'stopped', reported_at = now() WHERE id = $1`, [id]).catch(() => undefined);
    lock.off('error', onLockError);
    // Ending the session releases its advisory lock.
    await lock.end().catch(() => undefined);
  }
}

async function loadConnector(pool: pg.Pool, id: string): Promise<CaptureConnector | null> {
  const { rows } = await pool.query<{ id: string; workspace_id: string; name: string; source_url: string; publication: string; slot: string; mappings: TableMapping[] }>(
    `SELECT id, workspace_id, name, source_url, publication, slot, mappings FROM connectors WHERE id = $1 AND desired_state = 'running'`,
    [id],
  );
  const row = rows[0];
  return row ? { id: row.id, workspaceId: row.workspace_id, name: row.name, sourceUrl: row.source_url, publication: row.publication, slot: row.slot, mappings: row.mappings } : null;
}

const setStatus = (pool: pg.Pool, id: string, status: 'starting' | 'running') =>
  pool.query(`UPDATE connectors SET status = $2::"ConnectorStatus", reported_at = now()${status === 'running' ? ', last_error = NULL, last_error_at = NULL' : ''} WHERE id = $1`, [id, status]);

/** Measures the slot's lag on the source every `everyMs` and stores it with the report time. */
function startReporter(pool: pg.Pool, connector: CaptureConnector, everyMs: number) {
  let running: Promise<void> | null = null;
  const report = () =>
    (running ??= withSource(connector.sourceUrl, (client) => slotLag(client, connector.slot))
      .then((lag) => pool.query(`UPDATE connectors SET lag_bytes = $2, reported_at = now() WHERE id = $1`, [connector.id, lag?.toString() ?? null]))
      .then(() => undefined)
      .catch((error) => logger.warn({ connectorId: connector.id, error: describe(error) }, 'connector lag not measured'))
      .finally(() => (running = null)));
  const timer = setInterval(() => void report(), everyMs);
  timer.unref?.();
  return {
    report,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Runs processChanges for a workspace after captured changes, one pass at a time, again if kicked meanwhile.
 * With NATS_URL set, the JetStream workers evaluate changes instead: the capture queued the messages
 * announcing them in the stream outbox, as the API does, and the relay is woken to publish them.
 */
function processor(pool: pg.Pool) {
  let current: Promise<void> | null = null;
  let again = false;
  const run = async (workspaceId: string): Promise<void> => {
    do {
      again = false;
      // With JetStream, the capture queued their messages in its transaction: the relay publishes them now.
      const pass = streamingEnabled() ? Promise.resolve(kickOutboxRelay()) : processChanges(pool, workspaceId);
      await pass.catch((error: unknown) => logger.error({ err: error, workspaceId }, 'processing captured changes failed; they stay for the next pass'));
    } while (again);
  };
  return {
    kick(workspaceId: string) {
      if (current) {
        again = true;
        return;
      }
      current = run(workspaceId).finally(() => (current = null));
    },
    idle: async () => {
      await current;
    },
  };
}

function describe(error: unknown): string {
  const message = (error as { message?: string })?.message ?? String(error);
  return message.replace(/postgres(ql)?:\/\/[^\s]+/g, '<connection string>');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

const globalForRunner = globalThis as unknown as { appConnectorRunner?: ConnectorRunner };

/**
 * The server's connector runner (instrumentation.ts), once per process. SIGTERM/SIGINT stop the sessions
 * cleanly, so the connectors' locks are free for another process at once.
 */
export function startAppConnectorRunner(pool: pg.Pool): ConnectorRunner {
  if (!globalForRunner.appConnectorRunner) {
    const runner = startConnectorRunner(pool);
    globalForRunner.appConnectorRunner = runner;
    const stop = () => void runner.stop().catch(() => undefined);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  return globalForRunner.appConnectorRunner;
}
