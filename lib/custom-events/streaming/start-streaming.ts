import type pg from 'pg';
import { startChangeWorkers, sweepUnprocessedChanges } from '@/lib/custom-events/streaming/change-stream';
import { getStreaming } from '@/lib/custom-events/streaming/nats';
import { startOutboxRelay } from '@/lib/custom-events/streaming/outbox';
import { logger } from '@/lib/logger';
import { startDeliveryConsumers } from '@/lib/notifications/delivery-consumers';

/** Changes still unprocessed this long after they were stored are published again by the sweep. */
export const SWEEP_AFTER_MS = 60_000;
const SWEEP_EVERY_MS = 30_000;

/**
 * With NATS_URL set: this process consumes every partition of the changes stream, relays the business-events
 * outbox, sweeps changes left unpublished, and records notification deliveries from the business-events stream
 * (one durable consumer per workspace with endpoints; the delivery worker sends them). Null (and nothing started) without NATS_URL: then the Object
 * Changes route evaluates changes itself, with PostgreSQL alone. The npm start server and `npm run worker`
 * both call it; any number of processes may.
 */
export async function startStreamingWorkers(pool: pg.Pool): Promise<{ stop(): Promise<void> } | null> {
  const pending = getStreaming();
  if (!pending) return null;
  const streaming = await pending;
  const workers = await startChangeWorkers(streaming, pool);
  const relay = startOutboxRelay(streaming, pool);
  const deliveries = await startDeliveryConsumers(streaming, pool);
  const sweep = setInterval(() => {
    sweepUnprocessedChanges(streaming, pool, SWEEP_AFTER_MS).catch((error: unknown) => logger.error({ err: error }, 'sweep of unpublished changes failed; next try in 30 s'));
  }, SWEEP_EVERY_MS);
  sweep.unref();
  logger.info({ url: streaming.config.url, partitions: streaming.config.partitions }, 'change processing through NATS JetStream started');
  return {
    async stop() {
      clearInterval(sweep);
      await workers.stop();
      await relay.stop();
      await deliveries.stop();
      await streaming.close();
    },
  };
}

const globalForStreaming = globalThis as unknown as { appStreamingWorkers?: Promise<{ stop(): Promise<void> } | null> };

/**
 * Starts the JetStream workers inside the app's server (instrumentation.ts) once per process, when NATS_URL is
 * set; a failure to start is logged (changes stay stored, and the sweep of a worker that starts later
 * publishes them).
 */
export function startAppStreamingWorkers(pool: pg.Pool): void {
  if (globalForStreaming.appStreamingWorkers) return;
  globalForStreaming.appStreamingWorkers = startStreamingWorkers(pool);
  globalForStreaming.appStreamingWorkers.then(
    (workers) => {
      if (!workers) return;
      const stop = () => void workers.stop().catch(() => undefined);
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      globalForStreaming.appStreamingWorkers = undefined;
      logger.error({ err: error }, 'JetStream workers did not start; changes stay stored until a worker starts (npm run worker, or restart the app)');
    },
  );
}
