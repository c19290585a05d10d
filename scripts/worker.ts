// `npm run worker`: run workers only, no web server (and, with NATS_URL, JetStream change workers). Start as many as you like, on this machine or others
// that share the database (DATABASE_URL); each takes runs from the one queue. SIGTERM or Ctrl-C stops
// taking runs, stops the ones in progress between batches (they end failed, their stores released:
// run them again) and exits.
import { startStreamingWorkers } from '@/lib/custom-events/streaming/start-streaming';
import { closePool, getWorkPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { stopRunQueue } from '@/lib/runs/queue';
import { concurrencyFromEnv, startRunWorkers } from '@/lib/runs/worker';
import { exitWithError, resolveDatabase } from './lib/database';

async function main() {
  const embedded = await resolveDatabase({ persistent: true });
  await prepareDatabase(process.env.DATABASE_URL!);
  const workers = await startRunWorkers({ concurrency: concurrencyFromEnv() });
  console.log(`✓ Run worker ${workers.workerId} started (${concurrencyFromEnv()} at once)`);
  // With NATS_URL: this process also evaluates object changes from the JetStream partitions.
  const streaming = await startStreamingWorkers(getWorkPool());
  if (streaming) console.log(`✓ JetStream change worker started (${process.env.NATS_URL})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await workers.stop();
    await streaming?.stop();
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
