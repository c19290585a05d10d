'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { saveMeterAction } from '@/app/(console)/meters/actions';
import { toast } from '@/components/ui/toaster';
import type { MeterProblem } from '@/lib/meters/problems';
import type { MeterCanvasStore } from './canvas-store';
import { useWorkspaceCall } from './use-workspace-call';

export interface SaveState {
  saving: boolean;
  /** The problems a refused save answered (the server's validateMeter: the same as the canvas shows). */
  refused: MeterProblem[] | null;
  /** A refusal that is not about the graph (another save came first): the message, with a reload offered. */
  conflict: string | null;
}

/**
 * Save: sends the graph with the version it started from (optimistic concurrency). Saved: the store is
 * clean up to what was sent, the version moves on and the page's history refreshes. Refused for problems:
 * they are listed; refused otherwise (usually a newer version saved by someone else): the message stays
 * with a way to reload.
 */
export function useSaveMeter(store: MeterCanvasStore, meterId: string, version: number, onVersion: (version: number) => void) {
  const save = useWorkspaceCall(saveMeterAction);
  const router = useRouter();
  const [state, setState] = useState<SaveState>({ saving: false, refused: null, conflict: null });

  const run = useCallback(async () => {
    const sent = store.getState().graph;
    setState({ saving: true, refused: null, conflict: null });
    try {
      const result = await save({ meterId, baseVersion: version, graph: sent });
      if (result.ok) {
        store.getState().markSaved(sent);
        onVersion(result.data.version);
        setState({ saving: false, refused: null, conflict: null });
        toast.success(`Saved version ${result.data.version}.`);
        router.refresh();
      } else {
        toast.error(result.message);
        setState({ saving: false, refused: result.problems?.length ? result.problems : null, conflict: result.problems?.length ? null : result.message });
      }
    } catch {
      toast.error('The meter could not be saved: the server did not answer. Your changes are still here; try again.');
      setState({ saving: false, refused: null, conflict: null });
    }
  }, [store, save, meterId, version, onVersion, router]);

  const clearRefusal = useCallback(() => setState((s) => (s.refused || s.conflict ? { ...s, refused: null, conflict: null } : s)), []);
  return { ...state, save: run, clearRefusal };
}
