import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { getWorkPool } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { executeRun } from '@/lib/pipeline/execute-run';
import { getRunQueue, runQueueName, type RunJob } from '@/lib/runs/queue';
import { REAP_EVERY_MS, reapStaleRuns, resendLostRuns } from '@/lib/runs/reaper';
import { runJob, type ExecuteRun } from '@/lib/runs/run-job';

export interface RunWorkers {
  /** This process's worker id (host:pid:random), as meter_runs.worker_id shows it. */
  workerId: string;
  /** Stops taking jobs, stops the runs in progress between batches (they end failed, stores released), waits for them. */
  stop(): Promise<void>;
}

export interface RunWorkerOptions {
  /** Runs executed at once by this process (one pg-boss worker each). */
  concurrency?: number;
  /** The engine; tests may pass their own. */
  execute?: ExecuteRun;
  pool?: pg.Pool;
  /** Seconds between polls of the queue when it is empty. */
  pollingIntervalSeconds?: number;
}

/**
 * Starts this process's run workers: `concurrency` pg-boss workers on the run queue, each executing one
 * run at a time, and the reaper every REAP_EVERY_MS. Any number of processes may do this against one
 * database (the app's own, `npm run worker` elsewhere): the queue hands each job to one worker, the claim
 * makes a run start once, and a store is written by one run at a time (its lease).
 */
export async function startRunWorkers(options: RunWorkerOptions): Promise<RunWorkers> {
  const pool = options.pool ?? getWorkPool();
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();
  const boss = await getRunQueue();
  const workIds: string[] = [];
  for (let i = 0; i < (options.concurrency ?? 2); i++) {
    workIds.push(
      await boss.work<RunJob>(runQueueName(), { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
        if (!job) return;
        // A job fetched as the worker stops goes back to the queue (failed jobs are retried), never dropped.
        if (stopping.signal.aborted) throw new Error('worker stopping; the job will be retried');
        const done = runJob(pool, job.data.runId, workerId, options.execute ?? executeRun, stopping.signal);
        running.add(done);
        try {
          const status = await done;
          if (status) logger.info({ runId: job.data.runId, status, workerId }, 'run finished');
        } finally {
          running.delete(done);
        }
      }),
    );
  }
  const reap = async () => {
    const reaped = await reapStaleRuns(pool).catch((error: unknown) => {
      logger.warn({ err: error }, 'run reaper failed');
      return [];
    });
    if (reaped.length) logger.warn({ runIds: reaped }, 'failed runs whose worker stopped responding');
    const resent = await resendLostRuns(pool).catch((error: unknown) => {
      logger.warn({ err: error }, 'resending lost run jobs failed');
      return [];
    });
    if (resent.length) logger.warn({ runIds: resent }, 'sent again the jobs of queued runs a dead worker had fetched');
  };
  const reaper = setInterval(() => void reap(), REAP_EVERY_MS);
  void reap();
  logger.info({ workerId, concurrency: workIds.length }, 'run workers started');

  return {
    workerId,
    async stop() {
      clearInterval(reaper);
      await Promise.all(workIds.map((id) => boss.offWork({ id })));
      stopping.abort(new AppError('WORKER_STOPPED', `The worker running it was shut down (${workerId}). What it wrote before stays; run it again to finish.`, { status: 503 }));
      await Promise.allSettled([...running]);
    },
  };
}

/** Runs per process from RUN_WORKER_CONCURRENCY (default 2: the machine's cores are shared with the web server). */
export function concurrencyFromEnv(): number {
  const value = Number(process.env.RUN_WORKER_CONCURRENCY ?? 2);
  return Number.isInteger(value) && value >= 1 && value <= 64 ? value : 2;
}

const globalForWorkers = globalThis as unknown as { appRunWorkers?: Promise<RunWorkers> };

/**
 * The app process's own workers (instrumentation.ts), once per process (dev reloads keep them). Not
 * awaited by the server's start: a database that is slow to answer delays the workers, not the pages.
 */
export function startAppRunWorkers(): void {
  if (!globalForWorkers.appRunWorkers) {
    globalForWorkers.appRunWorkers = startRunWorkers({ concurrency: concurrencyFromEnv() });
    // The server exits a few seconds after SIGTERM (scripts/serve.mjs): stop the runs first, so they end
    // failed with their stores released at once instead of waiting for the reaper.
    const stop = () => void globalForWorkers.appRunWorkers?.then((workers) => workers.stop()).catch(() => undefined);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  globalForWorkers.appRunWorkers.catch((error: unknown) => {
    globalForWorkers.appRunWorkers = undefined;
    logger.error({ err: error }, 'run workers did not start; runs stay queued until a worker starts (npm run worker, or restart the app)');
  });
}
