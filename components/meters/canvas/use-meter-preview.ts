'use client';

import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { previewMeterAction } from '@/app/(console)/meters/actions';
import { categoryOf } from '@/lib/meters/graph';
import type { CanvasState, MeterCanvasStore } from './canvas-store';
import type { PreviewState } from './editor-context';
import { useWorkspaceCall } from './use-workspace-call';

/** Wait this long after the last structural or config change before previewing (typing a condition is one preview). */
export const PREVIEW_DEBOUNCE_MS = 600;
/** A source with one of these problems has nothing to read yet. */
const SOURCE_UNSET = new Set(['CONFIG_INVALID', 'STORE_NOT_FOUND']);

/** Why no preview can run yet ("" when one can): no source, or no source configured. */
export function previewUnavailable({ graph, analysis }: Pick<CanvasState, 'graph' | 'analysis'>): string {
  const sources = graph.nodes.filter((n) => categoryOf(n.kind) === 'source');
  if (sources.length === 0) return 'Add a source to see a preview.';
  const configured = sources.some((n) => !analysis.problems.some((p) => p.nodeIds.includes(n.id) && SOURCE_UNSET.has(p.code)));
  return configured ? '' : 'Configure the source to see a preview.';
}

/**
 * The live sample preview: after each structural or config change (the store's revision), once a source
 * is configured, runs the graph on the server (previewMeterAction: the newest events of each Event Store
 * source, through the same processors runs use) and keeps the latest answer. An answer to an older
 * request that arrives after a newer one is dropped.
 */
export function useMeterPreview(store: MeterCanvasStore, meterId: string, revision: number): PreviewState {
  const preview = useWorkspaceCall(previewMeterAction);
  const unavailable = useStore(store, previewUnavailable);
  const [state, setState] = useState<PreviewState>({ status: 'off', preview: null, message: '' });
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    if (unavailable) return;
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, status: 'running', message: 'Running the preview…' }));
      const { graph, samples } = store.getState();
      // File sources' rows from the browser (the server reads Event Store sources itself); only nodes still in the graph.
      const present = Object.fromEntries(Object.entries(samples).filter(([id]) => graph.nodes.some((n) => n.id === id)));
      preview({ meterId, graph, samples: present })
        .then((result) => {
          if (ticket !== latest.current) return;
          setState(result.ok ? { status: 'ready', preview: result.data, message: '' } : { status: 'failed', preview: null, message: result.message });
        })
        .catch(() => {
          if (ticket === latest.current) setState({ status: 'failed', preview: null, message: 'The preview could not run; check the connection and edit again.' });
        });
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [store, meterId, revision, preview, unavailable]);

  return unavailable ? { status: 'off', preview: null, message: unavailable } : state;
}
