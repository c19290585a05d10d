'use client';

import { createContext, useActionState, useCallback, useContext } from 'react';
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

/**
 * `useActionState` for the console's forms, the one place that adds the rendered workspace to every
 * submission (FormData or object), so that defineAction can refuse a form from a page of another
 * workspace than the current one (switched since in another tab). Lint keeps forms from calling
 * `useActionState` directly.
 */
export function useWorkspaceActionState<R, P>(
  action: (previous: R | null, payload: P) => Promise<R>,
  initialState: R | null = null,
): [state: Awaited<R> | null, dispatch: (payload: P) => void, pending: boolean] {
  const workspaceId = useRenderedWorkspace();
  const send = useCallback(
    (previous: Awaited<R> | null, payload: P) =>
      action(previous as R | null, workspaceId === undefined ? payload : withRenderedWorkspace(payload, workspaceId)),
    [action, workspaceId],
  );
  return useActionState<R | null, P>(send, initialState as Awaited<R> | null);
}
