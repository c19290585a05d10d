import type { WorkspaceScope } from '@/lib/auth/actor';
import type { PrismaClient, Tx } from '@/lib/db/prisma';
import type { Db } from '@/lib/db/transaction';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** A Prisma client or interactive transaction (control-plane changes), or `pg` (data-plane work). */
export type AuditDb = PrismaClient | Tx | Db;

const INSERT_AUDIT = `
  INSERT INTO audit_events (workspace_id, actor_type, actor_id, actor_label, action, target_type, target_id, details)
  VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb)`;

/**
 * Appends one audit event; pass the transaction that makes the change so both commit or neither: a
 * Prisma transaction (`tx`) for control-plane changes, or the `pg` client whose transaction holds a
 * data-plane change (a run's batch and its checkpoint). One statement either way.
 */
export async function recordAudit(db: AuditDb, scope: WorkspaceScope, entry: AuditEntry): Promise<void> {
  const params = [
    scope.workspaceId,
    scope.actor.type,
    scope.actor.id,
    scope.actor.label,
    entry.action,
    entry.targetType,
    entry.targetId,
    JSON.stringify(entry.details ?? {}),
  ];
  if ('$executeRawUnsafe' in db) await db.$executeRawUnsafe(INSERT_AUDIT, ...params);
  else await db.query(INSERT_AUDIT, params);
}

export interface AuditListItem {
  id: string;
  at: Date;
  actor: string;
  actorType: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

/** The newest audit events of a workspace first, keyset-paged by id. */
export async function listAuditEvents(
  prisma: PrismaClient,
  workspaceId: string,
  page: { before?: bigint; limit?: number } = {},
): Promise<AuditListItem[]> {
  const rows = await prisma.auditEvent.findMany({
    where: { workspaceId, ...(page.before ? { id: { lt: page.before } } : {}) },
    orderBy: { id: 'desc' },
    take: page.limit ?? 100,
  });
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.createdAt,
    actor: r.actorLabel,
    actorType: r.actorType,
    action: r.action,
    target: `${r.targetType} ${r.targetId}`,
    details: r.details as Record<string, unknown>,
  }));
}
