import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getAuth } from '@/lib/auth/auth';
import { RETURN_PATH_HEADER, signInPathFor } from '@/lib/auth/return-path';
import { refusalMessage, type Permission } from '@/lib/auth/permissions';
import { getPrisma } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';
import type { Submission } from '@/lib/actions/define-action';
import { assertRenderedWorkspace } from '@/lib/workspaces/rendered-workspace';
import { resolveUserWorkspace, type UserWorkspaceContext } from '@/lib/workspaces/workspace-context';

/** The cookie that remembers which workspace the user switched to. Membership is checked on every request. */
export const WORKSPACE_COOKIE = 'umc_workspace';

/** The signed-in user and their current workspace for this request, or null (once per request). */
export const getRequestContext = cache(async (): Promise<UserWorkspaceContext | null> => {
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) return null;
  const preferred = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const { id, email, name } = session.user;
  return resolveUserWorkspace(getPrisma(), { id, email, name }, preferred);
});

/** For pages: the context, or a redirect to sign-in that returns to this page afterwards. */
export async function requirePageContext(): Promise<UserWorkspaceContext> {
  const context = await getRequestContext();
  if (!context) redirect(signInPathFor((await headers()).get(RETURN_PATH_HEADER)));
  return context;
}

/**
 * For server actions (defineAction's authorize): refuses, with a message that says why, before domain
 * code runs: no session, a form from a page rendered for another workspace than the current one (checked
 * before the role, which belongs to the current workspace), or a role without the permission.
 * `anyRenderedWorkspace` is for switching workspace, which names its target and is what the user asked
 * for even from a stale tab.
 */
export function requirePermission(permission: Permission, options: { anyRenderedWorkspace?: boolean } = {}) {
  return async (submission: Submission): Promise<UserWorkspaceContext> => {
    const context = await getRequestContext();
    if (!context) {
      throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again to continue.', { status: 401 });
    }
    if (!options.anyRenderedWorkspace) assertRenderedWorkspace(context, submission.renderedWorkspaceId);
    assertRoleCan(context, permission);
    return context;
  };
}

export function assertRoleCan(context: { role: UserWorkspaceContext['role']; workspaceName: string }, permission: Permission) {
  const refusal = refusalMessage(context.role, context.workspaceName, permission);
  if (refusal) throw new AppError('FORBIDDEN', refusal, { status: 403 });
}
