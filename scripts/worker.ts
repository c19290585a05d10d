// `npm run worker`: run workers, notification delivery, date triggers, filter indexes, connectors and (with NATS_URL) JetStream
// change workers, no web server. Start as many as you like, on this machine or others
// that share the database (DATABASE_URL); each takes runs from the one queue. SIGTERM or Ctrl-C stops
// taking runs, stops the ones in progress between batches (they end failed, their stores released:
// run them again), stops its change-capture connectors (another process takes them over) and exits.
import { startConnectorRunner } from '@/lib/custom-events/connectors/runner';
import { startDateTriggerScheduler } from '@/lib/custom-events/date-triggers/scheduler';
import { startFilterIndexSync } from '@/lib/event-store/filter-indexes';
import { startStreamingWorkers } from '@/lib/custom-events/streaming/start-streaming';
import { closePool, getWorkPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { startNotifications } from '@/lib/notifications/start-notifications';
import { stopRunQueue } from '@/lib/runs/queue';
import { concurrencyFromEnv, startRunWorkers } from '@/lib/runs/worker';
import { sealLegacySecrets } from '@/lib/security/secrets-at-rest';
import { exitWithError, resolveDatabase } from './lib/database';
import { ensureSecretsKey } from './lib/secrets-env';

async function main() {
  const embedded = await resolveDatabase({ persistent: true });
  await prepareDatabase(process.env.DATABASE_URL!);
  ensureSecretsKey('read');
  const secrets = await sealLegacySecrets(getWorkPool());
  if (secrets.unreadable) console.warn(`Warning: ${secrets.unreadable} stored secret(s) cannot be decrypted and were left as they are. ${secrets.firstError}`);
  const workers = await startRunWorkers({ concurrency: concurrencyFromEnv() });
  console.log(`✓ Run worker ${workers.workerId} started (${concurrencyFromEnv()} at once)`);
  // Notification deliveries too (webhooks, mail), so RUN_WORKERS=0 on the app moves all background work here.
  const notifications = await startNotifications();
  console.log('✓ Notification delivery started');
  const dateTriggers = startDateTriggerScheduler();
  console.log('✓ Date-trigger scheduler started');
  const filterIndexes = startFilterIndexSync();
  // Change-capture connectors too: each runs in one process at a time (whichever takes its lock first).
  const connectors = process.env.CONNECTOR_RUNNER === '0' ? null : startConnectorRunner(getWorkPool());
  // With NATS_URL: this process also evaluates object changes from the JetStream partitions.
  const streaming = await startStreamingWorkers(getWorkPool());
  if (streaming) console.log(`✓ JetStream change worker started (${process.env.NATS_URL})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([workers.stop(), notifications.stop(), dateTriggers.stop(), filterIndexes.stop(), connectors?.stop(), streaming?.stop()]);
    await stopRunQueue();
    await disconnectPrisma();
    await closePool();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch(exitWithError);
