'use client';

import { createContext, useActionState, useCallback, useContext } from 'react';
import { toast } from '@/components/ui/toaster';
import { withRenderedWorkspace } from '@/lib/workspaces/rendered-workspace';
// Loaded with every console page, before any form validates with zod.
import '@/components/ui/zod-without-eval';

const RenderedWorkspace = createContext<string | undefined>(undefined);

/** Gives the console's forms the id of the workspace this page was rendered for (set once, by the shell). */
export function RenderedWorkspaceProvider({ workspaceId, children }: { workspaceId: string; children: React.ReactNode }) {
  return <RenderedWorkspace.Provider value={workspaceId}>{children}</RenderedWorkspace.Provider>;
}

/** The id of the workspace this page was rendered for; undefined outside the console (sign-in). */
export function useRenderedWorkspace(): string | undefined {
  return useContext(RenderedWorkspace);
}

/** What a form says in a toast when its action completed: a text, or one made from the action's result. */
export type SuccessToast<R> = string | ((result: Extract<Awaited<R>, { ok: true }> | undefined) => string);

/**
 * `useActionState` for the console's forms, the one place that adds the rendered workspace to every
 * submission (FormData or object), so that defineAction can refuse a form from a page of another
 * workspace than the current one (switched since in another tab). Lint keeps forms from calling
 * `useActionState` directly.
 *
 * `options.success` raises a toast when the action completed: when it answers `{ ok: true }`, and also
 * when it redirected (Next rejects the action's promise with a redirect error then, after the result
 * was committed; the result passed to a function is undefined in that case).
 */
export function useWorkspaceActionState<R, P>(
  action: (previous: R | null, payload: P) => Promise<R>,
  initialState: R | null = null,
  options: { success?: SuccessToast<R> } = {},
): [state: Awaited<R> | null, dispatch: (payload: P) => void, pending: boolean] {
  const workspaceId = useRenderedWorkspace();
  const { success } = options;
  const send = useCallback(
    async (previous: Awaited<R> | null, payload: P) => {
      const submitted = workspaceId === undefined ? payload : withRenderedWorkspace(payload, workspaceId);
      try {
        const result = await action(previous as R | null, submitted);
        if (success !== undefined && isOk(result)) announce(success, result);
        return result;
      } catch (error) {
        if (success !== undefined && isRedirect(error)) announce(success, undefined);
        throw error;
      }
    },
    [action, workspaceId, success],
  );
  return useActionState<R | null, P>(send as (previous: R | null, payload: P) => Promise<R>, initialState as Awaited<R> | null);
}

function announce<R>(success: SuccessToast<R>, result: Extract<Awaited<R>, { ok: true }> | undefined) {
  toast.success(typeof success === 'string' ? success : success(result));
}

function isOk(result: unknown): result is never {
  return typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === true;
}

/** Next's redirect() errors carry a digest starting with NEXT_REDIRECT (the same test Next's isRedirectError makes). */
function isRedirect(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === 'string' && digest.startsWith('NEXT_REDIRECT');
}
