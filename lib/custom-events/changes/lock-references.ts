import type pg from 'pg';
import { AppError } from '@/lib/errors';

/**
 * What a foreign key would do for the rows a statement is about to write to object_changes,
 * pending_object_changes or business_events, once for the statement rather than once per row (those tables have
 * none: see prisma/schema.prisma, BusinessEvent): locks the workspace's row, and the triggers' rows, FOR KEY
 * SHARE until the caller's transaction ends, and fails when one of them is gone. So a workspace or trigger
 * deleted meanwhile is deleted only after the caller commits, and its delete triggers (ON DELETE, in the
 * migration 20261201110000_references_checked_per_statement) then see the caller's rows; one deleted before
 * makes the caller fail, as the foreign key's check did, and the transaction rolls back whole.
 */
export async function lockReferences(client: pg.ClientBase, workspaceId: string, triggerIds: readonly string[] = []): Promise<void> {
  const { rows } = await client.query<{ workspaces: number; triggers: string[] }>(LOCK_REFERENCES, [workspaceId, triggerIds]);
  const locked = rows[0]!;
  if (locked.workspaces === 0) {
    throw new AppError('WORKSPACE_GONE', 'This workspace was deleted; nothing was stored.', { status: 404 });
  }
  const gone = [...new Set(triggerIds)].filter((id) => !locked.triggers.includes(id));
  if (gone.length > 0) {
    throw new AppError('TRIGGER_GONE', `Trigger ${gone[0]} was deleted while changes were evaluated against it; nothing was stored, and those changes are evaluated again.`, { status: 409 });
  }
}

// By primary key (= ANY of an array), whatever the statistics say. A trigger of another workspace is not found.
const LOCK_REFERENCES = `
  SELECT (SELECT count(*) FROM (SELECT 1 FROM workspaces w WHERE w.id = $1::uuid FOR KEY SHARE) w)::int AS workspaces,
         ARRAY(SELECT t.id::text FROM (SELECT t.id FROM triggers t WHERE t.id = ANY($2::uuid[]) AND t.workspace_id = $1::uuid FOR KEY SHARE) t) AS triggers`;
