import type { Actor, WorkspaceScope } from '@/lib/auth/actor';
import type { Role } from '@/lib/auth/permissions';
import type { PrismaClient } from '@/lib/db/prisma';

export interface WorkspaceChoice {
  id: string;
  name: string;
  role: Role;
}

export interface UserWorkspaceContext extends WorkspaceScope {
  role: Role;
  user: { id: string; email: string; name: string };
  /** Every workspace the user belongs to, by name: the switcher's choices. */
  workspaces: WorkspaceChoice[];
}

/**
 * The workspace a signed-in user works in: the preferred one (from their workspace cookie) when they are
 * a member of it, otherwise their first by name. Null when they belong to none.
 */
export async function resolveUserWorkspace(
  prisma: PrismaClient,
  user: { id: string; email: string; name: string },
  preferredWorkspaceId: string | undefined,
): Promise<UserWorkspaceContext | null> {
  const memberships = await prisma.membership.findMany({
    where: { userId: user.id },
    select: { role: true, workspace: { select: { id: true, name: true } } },
    orderBy: { workspace: { name: 'asc' } },
  });
  if (memberships.length === 0) return null;
  const chosen = memberships.find((m) => m.workspace.id === preferredWorkspaceId) ?? memberships[0]!;
  const actor: Actor = { type: 'user', id: user.id, label: user.email };
  return {
    workspaceId: chosen.workspace.id,
    workspaceName: chosen.workspace.name,
    role: chosen.role,
    actor,
    user,
    workspaces: memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role })),
  };
}
