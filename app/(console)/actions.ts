'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { getAuth } from '@/lib/auth/auth';
import { requirePermission, WORKSPACE_COOKIE } from '@/lib/auth/request-context';
import { AppError } from '@/lib/errors';

/** Switches the current workspace to another one the user belongs to. */
export const switchWorkspaceAction = defineAction({
  name: 'workspace.switch',
  input: z.object({ workspaceId: z.string().min(1, 'Choose a workspace.') }),
  authorize: requirePermission('workspace.read', { anyRenderedWorkspace: true }),
  run: async ({ workspaceId }, context) => {
    if (!context.workspaces.some((w) => w.id === workspaceId)) {
      throw new AppError('NOT_A_MEMBER', 'You are not a member of that workspace.', { status: 404 });
    }
    (await cookies()).set(WORKSPACE_COOKIE, workspaceId, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: (process.env.BETTER_AUTH_URL ?? '').startsWith('https://'),
      maxAge: 60 * 60 * 24 * 365,
    });
    // Pages may show ids of the old workspace: start again from home.
    redirect('/');
  },
});

export async function signOutAction(): Promise<void> {
  await getAuth()
    .api.signOut({ headers: await headers() })
    .catch(() => undefined);
  (await cookies()).delete(WORKSPACE_COOKIE);
  redirect('/sign-in');
}
