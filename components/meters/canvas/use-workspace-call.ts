'use client';

import { useCallback } from 'react';
import type { ActionResult } from '@/lib/actions/action-result';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import { withRenderedWorkspace } from '@/lib/workspaces/rendered-workspace';

/**
 * A server action called from code rather than a form (save, preview, restore), with the workspace the page
 * was rendered for, as every console action requires (see useWorkspaceActionState for forms).
 */
export function useWorkspaceCall<P, T>(action: (previous: unknown, payload: P) => Promise<ActionResult<T>>): (payload: P) => Promise<ActionResult<T>> {
  const workspaceId = useRenderedWorkspace();
  return useCallback((payload: P) => action(null, workspaceId === undefined ? payload : withRenderedWorkspace(payload, workspaceId)), [action, workspaceId]);
}
