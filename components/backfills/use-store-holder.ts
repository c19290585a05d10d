'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import type { StoreHolder } from '@/lib/event-store/store-holder';

/** How often the store page asks what holds the store (the contract: at most 2 s). */
export const HOLDER_POLL_MS = 2000;

/**
 * What holds the store, kept current by polling `GET /api/v1/event-stores/{id}/activity` (one request at a
 * time, paused while the tab is hidden). When the activity changes, the page's server parts refresh too
 * (status badge, counts, chart), without a reload. A failed poll keeps the last answer and polling goes on.
 * `active` false: no polling (a user who may not backfill sees the same refusal whatever holds the store).
 */
export function useStoreHolder(storeId: string, initial: StoreHolder, active = true): StoreHolder {
  const workspaceId = useRenderedWorkspace();
  const router = useRouter();
  const [holder, setHolder] = useState(initial);
  const last = useRef(initial.activity);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const poll = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const response = await fetch(`/api/v1/event-stores/${encodeURIComponent(storeId)}/activity`, {
            headers: workspaceId ? { 'X-Workspace-Id': workspaceId } : {},
            cache: 'no-store',
            signal: controller.signal,
          });
          if (response.ok) {
            const next = (await response.json()) as StoreHolder;
            if (stopped) return;
            setHolder(next);
            if (next.activity !== last.current) {
              last.current = next.activity;
              router.refresh();
            }
          }
        } catch {
          if (stopped) return;
        }
      }
      timer = setTimeout(() => void poll(), HOLDER_POLL_MS);
    };
    timer = setTimeout(() => void poll(), HOLDER_POLL_MS);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
  }, [storeId, workspaceId, router, active]);

  return holder;
}
