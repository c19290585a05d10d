import type pg from 'pg';
import { recordAudit } from '@/lib/audit/audit-log';
import { getPrisma } from '@/lib/db/prisma';
import { inTransaction } from '@/lib/db/transaction';
import { AppError, isAppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { meterGraphSchema } from '@/lib/meters/graph';
import { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
import type { PipelineDeps, PipelineOutcome, PipelineRun } from '@/lib/pipeline/types';
import { runActorScope } from '@/lib/runs/run-actor';
import { releaseStore, type Lease } from '@/lib/event-store/store-status';
import { adoptRunLeases, type HeldLeases } from '@/lib/runs/run-leases';
import { runProgressSink } from '@/lib/runs/run-progress';
import { runLeaseLabel } from '@/lib/runs/run-shape';
import { releaseRunStores } from '@/lib/runs/run-stores';
import { emptyProgress, type DryRunReport, type RecordErrorPolicy, type RunProgress, type RunScope, type RunStatus } from '@/lib/runs/types';

/** How often a running run proves its worker alive (and learns of a cancel request). */
export const HEARTBEAT_MS = 5_000;

export type ExecuteRun = (run: PipelineRun, deps: PipelineDeps) => Promise<PipelineOutcome>;

/** Why a worker stops a run early: the signal's reason, turned into the run's end. */
export const cancelledWhileRunning = () =>
  new AppError('RUN_CANCELLED', 'Cancelled while it ran: it stopped between batches. What it wrote before stays; run it again to replace it.', { status: 409 });
const noLongerOwned = () =>
  new AppError('RUN_NOT_OWNED', 'This worker no longer owns the run (it was marked failed after missing its heartbeats), so it stopped.', { status: 409 });

interface ClaimedRun {
  id: string;
  workspace_id: string;
  meter_id: string;
  meter_name: string;
  meter_version: number;
  scope: RunScope;
  dry_run: boolean;
  error_policy: RecordErrorPolicy;
  graph: unknown;
}

/**
 * Runs one job of the queue: claims the run (queued → running, one conditional UPDATE, so a job
 * delivered twice or a run cancelled meanwhile is skipped), adopts its store leases, heartbeats, executes
 * it, and finishes it — completed, failed (in words) or cancelled — releasing its stores however it
 * ends. `stopping` aborts when the worker shuts down.
 */
export async function runJob(pool: pg.Pool, runId: string, workerId: string, execute: ExecuteRun, stopping?: AbortSignal): Promise<RunStatus | null> {
  const claimed = await claim(pool, runId, workerId);
  if (!claimed) return null;
  const controller = new AbortController();
  const abort = (reason: unknown) => controller.abort(reason);
  const onStopping = () => abort(stopping?.reason);
  stopping?.addEventListener('abort', onStopping, { once: true });
  const heartbeat = setInterval(() => void beat(pool, runId, workerId, abort), HEARTBEAT_MS);
  const sink = runProgressSink(pool, runId, workerId);
  let held: HeldLeases | null = null;
  let outcome: PipelineOutcome | null = null;
  let failure: unknown = null;
  try {
    const context = await loadMeterContext(claimed.workspace_id, getPrisma());
    held = claimed.dry_run ? null : await adoptRunLeases(pool, runId, runLeaseLabel(runId, claimed.meter_name), abort);
    const run: PipelineRun = {
      id: runId,
      workspaceId: claimed.workspace_id,
      meterId: claimed.meter_id,
      graph: meterGraphSchema.parse(claimed.graph),
      context,
      scope: claimed.scope,
      dryRun: claimed.dry_run,
      errorPolicy: claimed.error_policy,
    };
    outcome = await execute(run, {
      pool,
      leases: held?.leases ?? new Map(),
      signal: controller.signal,
      onProgress: sink.onProgress,
      onRecordErrors: sink.onRecordErrors,
      ...(claimed.scope.kind === 'file' ? { file: await inputFile(pool, runId) } : {}),
    });
    // Like withStore: a lease lost after the last write still fails the run, which may not claim success.
    if (isLeaseLoss(controller.signal.reason)) throw controller.signal.reason;
  } catch (error) {
    failure = error;
  } finally {
    clearInterval(heartbeat);
    held?.stop();
    stopping?.removeEventListener('abort', onStopping);
  }
  const progress = outcome?.progress ?? (await sink.settle()) ?? emptyProgress();
  return finish(pool, claimed, workerId, outcome, progress, failure, held?.leases);
}

async function claim(pool: pg.Pool, runId: string, workerId: string): Promise<ClaimedRun | null> {
  const { rows } = await pool.query<ClaimedRun>(
    `WITH claimed AS (
       UPDATE meter_runs SET status = 'running', started_at = now(), heartbeat_at = now(), worker_id = $2
        WHERE id = $1 AND status = 'queued'
        RETURNING id, workspace_id, meter_id, meter_version, scope, dry_run, error_policy)
     SELECT c.*, m.name AS meter_name, v.graph
       FROM claimed c JOIN meters m ON m.id = c.meter_id JOIN meter_versions v ON v.meter_id = c.meter_id AND v.version = c.meter_version`,
    [runId, workerId],
  );
  return rows[0] ?? null;
}

/** The heartbeat: proves the worker alive; aborts the run when a cancel was asked or the run was taken from it. */
async function beat(pool: pg.Pool, runId: string, workerId: string, abort: (reason: unknown) => void): Promise<void> {
  try {
    const { rows } = await pool.query<{ cancel: boolean }>(
      `UPDATE meter_runs SET heartbeat_at = now() WHERE id = $1 AND worker_id = $2 AND status = 'running' RETURNING cancel_requested_at IS NOT NULL AS cancel`,
      [runId, workerId],
    );
    if (rows.length === 0) abort(noLongerOwned());
    else if (rows[0]!.cancel) abort(cancelledWhileRunning());
  } catch (error) {
    // The database may be briefly away; the lease keepers stop the run if it stays away.
    logger.warn({ err: error, runId }, 'run heartbeat failed');
  }
}

async function inputFile(pool: pg.Pool, runId: string): Promise<{ name: string; content: Buffer }> {
  const { rows } = await pool.query<{ file_name: string; content: Buffer }>(`SELECT file_name, content FROM meter_run_inputs WHERE run_id = $1`, [runId]);
  if (!rows[0]) throw new AppError('RUN_FILE_MISSING', 'The file this run was started with is no longer stored; start the run again with the file.');
  return { name: rows[0].file_name, content: rows[0].content };
}

const isLeaseLoss = (reason: unknown) => isAppError(reason) && reason.code === 'LEASE_LOST';

/** How the run ended, from the outcome or the error, in words for the run page. */
function endOf(outcome: PipelineOutcome | null, failure: unknown): { status: RunStatus; failure: string | null } {
  if (!failure && outcome) return { status: 'completed', failure: null };
  if (isAppError(failure) && failure.code === 'RUN_CANCELLED') return { status: 'cancelled', failure: failure.userMessage };
  if (isAppError(failure)) return { status: 'failed', failure: failure.userMessage };
  logger.error({ err: failure }, 'run failed on an unexpected error');
  return { status: 'failed', failure: 'The run stopped on an unexpected error on our side (it is in the worker’s log). What it wrote before stays; run it again to finish: a replay replaces, never adds twice.' };
}

/** The end, in one transaction: status, final counts and report, the stores released, the file dropped, audited. */
async function finish(
  pool: pg.Pool,
  run: ClaimedRun,
  workerId: string,
  outcome: PipelineOutcome | null,
  progress: RunProgress,
  failure: unknown,
  leases: ReadonlyMap<string, Lease> = new Map(),
): Promise<RunStatus> {
  const end = endOf(outcome, failure);
  const report: DryRunReport | null = outcome?.report ?? null;
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      `UPDATE meter_runs SET status = $3::"MeterRunStatus", finished_at = now(), heartbeat_at = now(), progress = $4::jsonb, report = $5::jsonb, failure = $6
        WHERE id = $1 AND worker_id = $2 AND status = 'running'`,
      [run.id, workerId, end.status, JSON.stringify(progress), JSON.stringify(report), end.failure],
    );
    await releaseRunStores(client, run.id);
    if (rowCount !== 1) {
      // The run is no longer this worker's: reaped (the reaper released its stores) or deleted with its
      // meter, and its meter_run_targets with it. Give back what this worker still holds, by its tokens
      // (a no-op where someone took the store since), rather than leave it busy until the lease lapses.
      for (const lease of leases.values()) await releaseStore(client, lease);
      return 'failed';
    }
    await client.query(`DELETE FROM meter_run_inputs WHERE run_id = $1`, [run.id]);
    await recordAudit(client, await runActorScope(client, run.id), {
      action: 'run.finished',
      targetType: 'meter_run',
      targetId: run.id,
      details: { meterName: run.meter_name, status: end.status, read: progress.read, ...(end.failure ? { failure: end.failure } : {}) },
    });
    return end.status;
  });
}
