'use client';

import { useEffect, useState } from 'react';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import { FINAL_RUN_STATUSES, type RunView } from '@/lib/runs/types';

/** The run page and the dry run in the dialog refresh this often while a run is queued or running. */
export const POLL_MS = 1000;

export const isFinal = (run: Pick<RunView, 'status'>) => FINAL_RUN_STATUSES.includes(run.status);

/**
 * A run kept current by polling `GET /api/v1/runs/[id]` (the browser session authenticates it) once a second
 * while it is not final; one request at a time (the next is scheduled when the last settles, so a slow server
 * is never asked twice at once), stopped when the run ends or the component goes away. A failed refresh keeps
 * the last view and says why, and polling goes on.
 */
export function useRunView(runId: string | null, initial: RunView | null = null): { run: RunView | null; refreshError: string | null } {
  const workspaceId = useRenderedWorkspace();
  const [run, setRun] = useState<RunView | null>(initial);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const done = run !== null && run.id === runId && isFinal(run);

  useEffect(() => {
    if (!runId || done) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const response = await fetch(`/api/v1/runs/${encodeURIComponent(runId)}`, {
          headers: workspaceId ? { 'X-Workspace-Id': workspaceId } : {},
          cache: 'no-store',
          signal: controller.signal,
        });
        const body = (await response.json().catch(() => null)) as { run?: RunView; error?: { message?: string } } | null;
        if (stopped) return;
        if (response.ok && body?.run) {
          setRun(body.run);
          setRefreshError(null);
          if (isFinal(body.run)) return;
        } else {
          setRefreshError(body?.error?.message ?? `The server answered ${response.status}.`);
        }
      } catch (error) {
        if (stopped) return;
        setRefreshError(error instanceof Error ? error.message : 'The server could not be reached.');
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), initial?.id === runId ? POLL_MS : 0);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `initial` only decides whether the first poll waits; a new initial view must not restart polling
  }, [runId, done, workspaceId]);

  return { run: run && run.id === runId ? run : null, refreshError };
}
