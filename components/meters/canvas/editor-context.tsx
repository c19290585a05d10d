'use client';

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { MeterContext } from '@/lib/meters/kind-spec';
import type { MeterNode } from '@/lib/meters/graph';
import type { MeterPreview } from '@/lib/meters/preview';
import type { DefinitionChoice } from '@/components/meters/panels/panel-props';
import type { CanvasState, MeterCanvasStore } from './canvas-store';
import type { FlowCounts } from './run-counts';

/** What every part of the meter editor shares: the canvas store (one per editor), the workspace's stores, who may edit. */
export interface MeterEditorValue {
  store: MeterCanvasStore;
  meterId: string;
  context: MeterContext;
  /** Every event definition of the workspace, for creating a store inline. */
  definitions: readonly DefinitionChoice[];
  editable: boolean;
  /** The node's label, else its kind's name ("Filter"). */
  nodeName: (node: MeterNode) => string;
}

export const MeterEditorContext = createContext<MeterEditorValue | null>(null);

export function useMeterEditor(): MeterEditorValue {
  const value = useContext(MeterEditorContext);
  if (!value) throw new Error('useMeterEditor is used outside <MeterEditorContext.Provider>.');
  return value;
}

/** A slice of the canvas store; the component re-renders only when the slice changes. */
export function useCanvas<T>(selector: (state: CanvasState) => T): T {
  return useStore(useMeterEditor().store, selector);
}

/** The latest sample preview and where it stands. */
export interface PreviewState {
  status: 'off' | 'running' | 'ready' | 'failed';
  preview: MeterPreview | null;
  /** Why there is no preview, or why it failed. */
  message: string;
}

export const PreviewContext = createContext<PreviewState>({ status: 'off', preview: null, message: '' });
export const usePreview = () => useContext(PreviewContext);

/** The counts the canvas labels its nodes and edges with: the preview's, or the latest run's when the toolbar says so. */
export const CountsContext = createContext<FlowCounts | null>(null);
export const useCounts = () => useContext(CountsContext);
