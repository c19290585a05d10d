'use client';

import { useEffect, useState } from 'react';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import type { RunView } from '@/lib/runs/types';
import { isLive } from './run-counts';

/** While a run is queued or running its counts are read this often (the run page's pace). */
export const LIVE_POLL_MS = 1_000;
/** Otherwise the meter's latest run is looked up this often, to notice a run started elsewhere. */
export const IDLE_POLL_MS = 15_000;

/**
 * The meter's latest run (or null when it never ran), kept fresh for the canvas's "Run" counts: the REST
 * list `GET /api/v1/runs?meterId=&limit=1` finds it, then `GET /api/v1/runs/<id>` follows it once a second
 * while it is queued or running. With the session and the workspace the page was rendered for. A failed
 * request keeps the last answer and tries again at the next tick.
 */
export function useMeterRun(meterId: string): RunView | null {
  const workspaceId = useRenderedWorkspace();
  const [run, setRun] = useState<RunView | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let following: RunView | null = null;
    const headers: HeadersInit = workspaceId ? { 'X-Workspace-Id': workspaceId } : {};
    const read = async <T,>(url: string): Promise<T | null> => {
      const response = await fetch(url, { headers, cache: 'no-store' }).catch(() => null);
      return response?.ok ? ((await response.json()) as T) : null;
    };
    const tick = async () => {
      const latest = following && isLive(following.status)
        ? ((await read<{ run: RunView }>(`/api/v1/runs/${encodeURIComponent(following.id)}`))?.run ?? following)
        : ((await read<{ runs: RunView[] }>(`/api/v1/runs?meterId=${encodeURIComponent(meterId)}&limit=1`))?.runs[0] ?? following);
      if (stopped) return;
      following = latest;
      setRun(latest);
      timer = setTimeout(() => void tick(), latest && isLive(latest.status) ? LIVE_POLL_MS : IDLE_POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [meterId, workspaceId]);

  return run;
}
