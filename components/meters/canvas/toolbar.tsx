'use client';

import { useReactFlow } from '@xyflow/react';
import { History, LayoutGrid, Maximize, Plus, Redo2, Save, Undo2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { layoutPositions, type Size } from './auto-layout';
import type { RunView } from '@/lib/runs/types';
import { isDirty } from './canvas-store';
import { runToggleLabel } from './run-counts';
import { useCanvas, useMeterEditor } from './editor-context';
import styles from './canvas.module.css';

/** The editor's commands as buttons (each also has a key; see use-canvas-keys), the save state and the preview's state. */
export function Toolbar({
  name,
  version,
  saving,
  onSave,
  onQuickAdd,
  onHistory,
  sizeOf,
  run,
  latestRun,
  countsFrom,
  onCountsFrom,
}: {
  name: string;
  version: number;
  saving: boolean;
  onSave: () => void;
  onQuickAdd: () => void;
  onHistory: () => void;
  sizeOf: (id: string) => Size;
  /** The Run button (components/runs), given by the page. */
  run?: ReactNode;
  /** The meter's latest run, when it has one: the toggle then offers its counts on the edges. */
  latestRun: RunView | null;
  countsFrom: 'preview' | 'run';
  onCountsFrom: (from: 'preview' | 'run') => void;
}) {
  const { store, editable } = useMeterEditor();
  const dirty = useCanvas(isDirty);
  const canUndo = useCanvas((s) => s.past.length > 0 || s.moveBase !== null);
  const canRedo = useCanvas((s) => s.future.length > 0);
  const empty = useCanvas((s) => s.graph.nodes.length === 0);
  const { fitView } = useReactFlow();

  const arrange = () => {
    store.getState().arrange(layoutPositions(store.getState().graph, sizeOf));
    requestAnimationFrame(() => void fitView({ duration: 200, maxZoom: 1 }));
  };

  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Meter editor">
      <h1 className={styles.meterName}>{name}</h1>
      <span className="muted small" role="status" data-testid="save-state">
        {version === 0 ? 'Never saved' : `Version ${version}`}
        {dirty ? ' · unsaved changes' : ''}
      </span>
      <span className={styles.toolbarGap} />
      {editable ? (
        <>
          <button type="button" className="button secondary" onClick={onQuickAdd} aria-label="Add node" aria-keyshortcuts="/" title="Add a node (/)">
            <Plus size={14} aria-hidden="true" /> Add
          </button>
          <button type="button" className="button secondary" onClick={() => store.getState().undo()} disabled={!canUndo} aria-label="Undo" aria-keyshortcuts="Control+Z Meta+Z" title="Undo (Ctrl+Z)">
            <Undo2 size={14} aria-hidden="true" />
          </button>
          <button type="button" className="button secondary" onClick={() => store.getState().redo()} disabled={!canRedo} aria-label="Redo" aria-keyshortcuts="Control+Shift+Z Control+Y" title="Redo (Shift+Ctrl+Z)">
            <Redo2 size={14} aria-hidden="true" />
          </button>
          <button type="button" className="button secondary" onClick={arrange} disabled={empty} aria-label="Auto-layout" title="Arrange left to right">
            <LayoutGrid size={14} aria-hidden="true" /> Layout
          </button>
        </>
      ) : null}
      <button type="button" className="button secondary" onClick={() => void fitView({ duration: 200, maxZoom: 1 })} aria-label="Fit view" title="Fit the meter in view">
        <Maximize size={14} aria-hidden="true" />
      </button>
      {run}
      {latestRun ? (
        <div role="group" aria-label="Counts on the edges" className={styles.countsToggle}>
          <button type="button" className="button secondary" aria-pressed={countsFrom === 'preview'} onClick={() => onCountsFrom('preview')}>
            Preview
          </button>
          <button
            type="button"
            className="button secondary"
            aria-pressed={countsFrom === 'run'}
            onClick={() => onCountsFrom('run')}
            title={`The counts of the latest run (version ${latestRun.meterVersion}${latestRun.dryRun ? ', dry run' : ''})`}
          >
            {runToggleLabel(latestRun)}
          </button>
        </div>
      ) : null}
      <button type="button" className="button secondary" onClick={onHistory}>
        <History size={14} aria-hidden="true" /> History
      </button>
      {editable ? (
        <button type="button" className="button" onClick={onSave} disabled={saving}>
          <Save size={14} aria-hidden="true" /> {saving ? 'Saving…' : 'Save'}
        </button>
      ) : null}
    </div>
  );
}
