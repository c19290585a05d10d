import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { readActivity } from '@/lib/event-store/store-status';
import { executeRun } from '@/lib/pipeline/execute-run';
import { getRunView } from '@/lib/runs/read-runs';
import { FINAL_RUN_STATUSES } from '@/lib/runs/types';
import { startRunWorkers } from '@/lib/runs/worker';
import { eventually } from '@/lib/testing/run-world';

type PipelineRun = Parameters<typeof executeRun>[0];
type PipelineDeps = Parameters<typeof executeRun>[1];

/**
 * Runs of a meter described "slow" pause 200 ms after each batch of 100: long enough to cancel, kill or
 * delete something mid-run. Other runs execute as the worker would.
 */
export const slowWhenAsked = async (run: PipelineRun, deps: PipelineDeps) => {
  const slow = (await getPrisma().meter.findUnique({ where: { id: run.meterId } }))?.description === 'slow';
  if (!slow) return executeRun(run, deps);
  return executeRun(run, { ...deps, onProgress: async (p) => (await deps.onProgress(p), new Promise((r) => setTimeout(r, 200))) }, { eventStore: { pageSize: 100 } });
};

/** Workers of the test file's queue (set RUN_QUEUE_NAME before importing this) that run "slow" meters slowly. */
export const startSlowRunWorkers = () => startRunWorkers({ concurrency: 2, execute: slowWhenAsked, pollingIntervalSeconds: 0.5 });

/** The run's view once it has ended (a minute at most). */
export const finalRunView = (workspaceId: string, runId: string) =>
  eventually(async () => {
    const view = await getRunView(workspaceId, runId);
    return view && FINAL_RUN_STATUSES.includes(view.status) ? view : undefined;
  }, 60_000, `run ${runId} to end`);

export const storeActivity = async (storeId: string) => (await readActivity(getPool(), storeId))!.activity;
