import type pg from 'pg';
import PgBoss from 'pg-boss';
import { getWorkPool } from '@/lib/db/pool';
import { logger } from '@/lib/logger';

/**
 * The run queue: pg-boss 10 in the same PostgreSQL (its own schema, `pgboss`, created by pg-boss on its
 * first start; our migrations and the drift test look at `public` only). One PgBoss per process, over
 * the process's work pool (so its connections get the pool's error listener and timeouts), started once.
 *
 * A job only says "run <id> is waiting": meter_runs is the truth. The job is sent in the transaction
 * that inserts the run (pg-boss's `db` option), so a run is never recorded without its job, nor the
 * reverse; a worker claims the run with a conditional UPDATE, so a job delivered twice runs it once.
 */
export const RUN_QUEUE = 'meter-run';

/**
 * The queue this process sends to and works on: RUN_QUEUE_NAME when set (test files that run workers use
 * their own, so they never execute another file's runs in a shared test database), else `meter-run`.
 */
export const runQueueName = () => process.env.RUN_QUEUE_NAME || RUN_QUEUE;

export interface RunJob {
  runId: string;
}

/**
 * pg-boss fails a job whose handler runs longer than its expiration (it does not stop the handler). The
 * maximum it allows is just under 24 h; a run that takes longer still finishes, and the second delivery
 * of its job finds it claimed and does nothing.
 */
const JOB_EXPIRE_SECONDS = 23 * 60 * 60;

const globalForQueue = globalThis as unknown as { runQueue?: Promise<PgBoss> };

/** pg-boss's view of a pool or of a client inside our transaction. */
const asBossDb = (db: pg.Pool | pg.ClientBase): PgBoss.Db => ({ executeSql: (text, values) => db.query(text, values) });

/** The process's started PgBoss, with the run queue created. */
export function getRunQueue(): Promise<PgBoss> {
  globalForQueue.runQueue ??= startQueue().catch((error: unknown) => {
    globalForQueue.runQueue = undefined;
    throw error;
  });
  return globalForQueue.runQueue;
}

async function startQueue(): Promise<PgBoss> {
  const boss = new PgBoss({ db: asBossDb(getWorkPool()), schedule: false, retryLimit: 2, retryDelay: 5 });
  boss.on('error', (error) => logger.error({ err: error }, 'run queue error'));
  await boss.start();
  const name = runQueueName();
  if (!(await boss.getQueue(name))) {
    await boss.createQueue(name, { name, expireInSeconds: JOB_EXPIRE_SECONDS, retryLimit: 2, retryDelay: 5 }).catch(async (error: unknown) => {
      // Another process created it between our look and our insert.
      if (!(await boss.getQueue(name))) throw error;
    });
  }
  return boss;
}

/** Sends the run's job inside the caller's transaction (`client` has sent BEGIN: it commits with the run), or on the pool. */
export async function enqueueRun(client: pg.ClientBase | pg.Pool, runId: string): Promise<void> {
  const boss = await getRunQueue();
  await boss.send(runQueueName(), { runId } satisfies RunJob, { singletonKey: runId, expireInSeconds: JOB_EXPIRE_SECONDS, db: asBossDb(client) });
}

/** Stops the process's queue (workers' shutdown, tests); pending jobs stay in the database. */
export async function stopRunQueue(): Promise<void> {
  const started = globalForQueue.runQueue;
  globalForQueue.runQueue = undefined;
  if (started) await (await started).stop({ graceful: true, wait: true, close: false, timeout: 5_000 });
}
