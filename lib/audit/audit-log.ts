import type { WorkspaceScope } from '@/lib/auth/actor';
import type { PrismaClient, Tx } from '@/lib/db/prisma';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** Appends one audit event; pass the transaction that makes the change so both commit or neither. */
export async function recordAudit(db: PrismaClient | Tx, scope: WorkspaceScope, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      workspaceId: scope.workspaceId,
      actorType: scope.actor.type,
      actorId: scope.actor.id,
      actorLabel: scope.actor.label,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: (entry.details ?? {}) as object,
    },
  });
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
