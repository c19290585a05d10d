import { AppError } from '@/lib/errors';

// A console page is rendered for the workspace current at that moment; another tab may switch the
// current workspace (a cookie) before this page's form is sent. Every form therefore sends the
// workspace it was rendered for, and the action refuses when that is no longer the current one, rather
// than applying ids and choices made on one workspace's page to another workspace.
// Client-safe: the forms' helper (components/ui/use-workspace-action-state.ts) imports it too.

/** The submission field that carries the rendered workspace's id; no domain input uses this name. */
export const RENDERED_WORKSPACE_FIELD = '__workspace';

/** The input a form sends, with the id of the workspace its page was rendered for added. */
export function withRenderedWorkspace<I>(input: I, workspaceId: string): I {
  if (input instanceof FormData) {
    input.set(RENDERED_WORKSPACE_FIELD, workspaceId);
    return input;
  }
  return { ...(input as object), [RENDERED_WORKSPACE_FIELD]: workspaceId } as I;
}

/**
 * Splits a submission into the rendered workspace's id (undefined when absent) and the rest of the
 * input, which is what the action's schema sees.
 */
export function takeRenderedWorkspace(raw: unknown): { renderedWorkspaceId: string | undefined; input: unknown } {
  if (raw instanceof FormData) {
    const value = raw.get(RENDERED_WORKSPACE_FIELD);
    const input = new FormData();
    for (const [key, entry] of raw.entries()) if (key !== RENDERED_WORKSPACE_FIELD) input.append(key, entry);
    return { renderedWorkspaceId: typeof value === 'string' ? value : undefined, input };
  }
  if (raw && typeof raw === 'object' && RENDERED_WORKSPACE_FIELD in raw) {
    const { [RENDERED_WORKSPACE_FIELD]: value, ...input } = raw as Record<string, unknown>;
    return { renderedWorkspaceId: typeof value === 'string' ? value : undefined, input };
  }
  return { renderedWorkspaceId: undefined, input: raw };
}

/**
 * Refuses a submission made on a page rendered for another workspace than the current one, or one that
 * does not say (a page from before this check, or a form that bypasses the console's helper).
 * @param current the request's workspace and the user's memberships (names for the message)
 */
export function assertRenderedWorkspace(
  current: { workspaceId: string; workspaceName: string; workspaces: { id: string; name: string }[] },
  renderedWorkspaceId: string | undefined,
): void {
  if (renderedWorkspaceId === current.workspaceId) return;
  if (renderedWorkspaceId === undefined) {
    throw new AppError('STALE_PAGE', 'This form did not say which workspace it was opened for, so nothing was changed. Reload the page to continue.', {
      status: 409,
    });
  }
  const rendered = current.workspaces.find((w) => w.id === renderedWorkspaceId);
  const message = rendered
    ? `This page was opened for workspace ${rendered.name}; you have since switched to ${current.workspaceName} in another tab. Nothing was changed. Reload to continue.`
    : `This page was opened for a workspace you no longer belong to; you are now in ${current.workspaceName}. Nothing was changed. Reload to continue.`;
  throw new AppError('STALE_WORKSPACE', message, { status: 409 });
}
