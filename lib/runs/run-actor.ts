import type { WorkspaceScope } from '@/lib/auth/actor';
import type { Db } from '@/lib/db/transaction';

/**
 * Who a run acts for, outside the request that started it (the worker's and the reaper's audit rows):
 * the actor of its `run.started` audit row, in the run's workspace.
 */
export async function runActorScope(db: Db, runId: string): Promise<WorkspaceScope> {
  const { rows } = await db.query<{ workspace_id: string; workspace_name: string; created_by: string; actor_type: 'user' | 'api_key' | null; actor_id: string | null; actor_label: string | null }>(
    `SELECT r.workspace_id, w.name AS workspace_name, r.created_by, a.actor_type, a.actor_id, a.actor_label
       FROM meter_runs r JOIN workspaces w ON w.id = r.workspace_id
       LEFT JOIN LATERAL (SELECT actor_type, actor_id, actor_label FROM audit_events
                           WHERE workspace_id = r.workspace_id AND action = 'run.started' AND target_id = r.id::text LIMIT 1) a ON true
      WHERE r.id = $1`,
    [runId],
  );
  const row = rows[0]!;
  return {
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    role: null,
    actor: { type: row.actor_type ?? 'user', id: row.actor_id ?? '', label: row.actor_label ?? row.created_by },
  };
}
