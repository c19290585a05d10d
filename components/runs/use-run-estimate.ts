'use client';

import { useEffect, useState } from 'react';
import { estimateRunAction } from '@/app/(console)/runs/actions';
import { useWorkspaceCall } from '@/components/meters/canvas/use-workspace-call';
import type { RunEstimate, RunScope } from '@/lib/runs/types';

/** Asked this long after the last change of the scope, so typing a date does not send a request per key. */
const SETTLE_MS = 350;

export type EstimateState = { status: 'idle' } | { status: 'loading'; last: RunEstimate | null } | { status: 'ready'; estimate: RunEstimate } | { status: 'error'; message: string };

/**
 * The estimate of a scope (source events in it, time at the measured rate, the store's first and last event
 * times), asked again when the scope changes; an answer to an older scope is dropped. Null scope: nothing to
 * estimate (an incomplete time frame); the last estimate stays visible as "updating" meanwhile.
 */
export function useRunEstimate(meterId: string, scope: RunScope | null): EstimateState {
  const estimate = useWorkspaceCall(estimateRunAction);
  const [answer, setAnswer] = useState<{ key: string; state: Exclude<EstimateState, { status: 'idle' | 'loading' }> } | null>(null);
  const key = scope ? JSON.stringify(scope) : null;

  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      estimate({ meterId, scope: JSON.parse(key) as RunScope })
        .then((result) => {
          if (current) setAnswer({ key, state: result.ok ? { status: 'ready', estimate: result.data } : { status: 'error', message: result.message } });
        })
        .catch(() => {
          if (current) setAnswer({ key, state: { status: 'error', message: 'The estimate could not be fetched; you can still run.' } });
        });
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [estimate, meterId, key]);

  if (answer && answer.key === key) return answer.state;
  const last = answer?.state.status === 'ready' ? answer.state.estimate : null;
  return key === null && !last ? { status: 'idle' } : { status: 'loading', last };
}
