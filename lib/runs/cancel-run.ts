import type { WorkspaceScope } from '@/lib/auth/actor';
import { formatDateTime } from '@/components/ui/format';
import { recordAudit } from '@/lib/audit/audit-log';
import { getPool } from '@/lib/db/pool';
import { inTransaction } from '@/lib/db/transaction';
import { AppError, notFound } from '@/lib/errors';
import { getRunView } from '@/lib/runs/read-runs';
import { releaseRunStores } from '@/lib/runs/run-stores';
import type { RunStatus } from '@/lib/runs/types';

/**
 * Cancels a run. Queued: cancelled at once, its stores released, in one transaction. Running: the
 * request is recorded (cancel_requested_at) and the worker stops between batches at its next heartbeat
 * (a live HTTP-ingest run "stops" this way and ends completed). Ended: refused, saying how it ended.
 * Returns the run's status after the call.
 */
export async function cancelRun(scope: WorkspaceScope, runId: string, db = getPool()): Promise<{ status: RunStatus }> {
  const run = await getRunView(scope.workspaceId, runId, db);
  if (!run) throw notFound('That run');
  return inTransaction(db, async (client) => {
    const queued = await client.query(
      `UPDATE meter_runs SET status = 'cancelled', finished_at = now(), cancel_requested_at = now(), failure = $3
        WHERE id = $1 AND workspace_id = $2 AND status = 'queued' RETURNING id`,
      [run.id, scope.workspaceId, `Cancelled by ${scope.actor.label} before it started.`],
    );
    if (queued.rowCount === 1) {
      await releaseRunStores(client, run.id);
      await recordAudit(client, scope, { action: 'run.cancelled', targetType: 'meter_run', targetId: run.id, details: { meterName: run.meterName, was: 'queued' } });
      return { status: 'cancelled' as const };
    }
    const running = await client.query(
      `UPDATE meter_runs SET cancel_requested_at = coalesce(cancel_requested_at, now())
        WHERE id = $1 AND workspace_id = $2 AND status = 'running' RETURNING id`,
      [run.id, scope.workspaceId],
    );
    if (running.rowCount === 1) {
      const action = run.scope.kind === 'live' ? 'run.stop_requested' : 'run.cancel_requested';
      await recordAudit(client, scope, { action, targetType: 'meter_run', targetId: run.id, details: { meterName: run.meterName } });
      return { status: 'running' as const };
    }
    const ended = await client.query<{ status: RunStatus; finished_at: Date | null }>(`SELECT status, finished_at FROM meter_runs WHERE id = $1`, [run.id]);
    const { status, finished_at } = ended.rows[0]!;
    const when = finished_at ? ` at ${formatDateTime(finished_at)}` : '';
    throw new AppError('RUN_ENDED', `This run already ended: ${status}${when}. There is nothing to cancel.`, { status: 409, details: { status } });
  });
}
