'use client';

import '@/components/ui/zod-without-eval';
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { RefusalNote } from '@/components/ui/refusal-note';
import type { DefinitionChoice } from '@/components/meters/panels/panel-props';
import type { MeterGraph, MeterNode } from '@/lib/meters/graph';
import type { MeterContext, MeterEventTypeInfo, MeterStoreInfo } from '@/lib/meters/kind-spec';
import { specOf } from '@/lib/meters/kinds';
import { analyzeMeter } from '@/lib/meters/validate';
import { DEFAULT_NODE_SIZE, type Size } from './auto-layout';
import { createMeterCanvasStore, isDirty } from './canvas-store';
import { CountsContext, MeterEditorContext, PreviewContext, type MeterEditorValue } from './editor-context';
import { FlowCanvas } from './flow-canvas';
import { HistoryDrawer, type VersionEntry } from './history-drawer';
import { Palette } from './palette';
import { ProblemsList } from './problems-list';
import { QuickAdd } from './quick-add';
import { SidePanel } from './side-panel';
import { Toolbar } from './toolbar';
import { useCanvasKeys } from './use-canvas-keys';
import { runCounts } from './run-counts';
import { useMeterPreview } from './use-meter-preview';
import { useMeterRun } from './use-meter-run';
import { useSaveMeter } from './use-save-meter';
import { useUnsavedWarning } from './use-unsaved-warning';
import styles from './canvas.module.css';

export interface MeterEditorProps {
  meter: { id: string; name: string; version: number; graph: MeterGraph };
  /** The workspace's event stores (a list: a Map does not cross from the server). */
  stores: MeterStoreInfo[];
  /** The workspace's business event types (its triggers'), for Business Events sources. */
  eventTypes?: MeterEventTypeInfo[];
  /** Every event definition of the workspace (a new store may use one no store uses yet). */
  definitions: DefinitionChoice[];
  versions: VersionEntry[];
  editable: boolean;
  /** The Run button for the toolbar (components/runs); it runs the saved version, not the canvas. */
  runButton?: ReactNode;
}

const NO_EVENT_TYPES: MeterEventTypeInfo[] = [];

const nodeName = (node: MeterNode) => node.label || specOf(node.kind).label;

/**
 * The meter editor: palette, canvas, side panel, problems and toolbar around one canvas store. The
 * analysis (analyzeMeter, the function save and run use) runs in the browser inside the store, on every
 * structural or config change; the preview runs on the server after such changes.
 */
export function MeterEditor({ meter, stores, eventTypes = NO_EVENT_TYPES, definitions, versions, editable, runButton }: MeterEditorProps) {
  const context: MeterContext = useMemo(
    () => ({ stores: new Map(stores.map((s) => [s.id, s])), eventTypes: new Map(eventTypes.map((t) => [t.eventType, t])) }),
    [stores, eventTypes],
  );
  const [store] = useState(() => createMeterCanvasStore({ graph: meter.graph, analyze: (graph) => analyzeMeter(graph, context) }));
  const analyzedWith = useRef(context);
  useEffect(() => {
    if (analyzedWith.current === context) return;
    // The page refreshed the workspace's stores (a store created from a panel, a save): analyze against them.
    analyzedWith.current = context;
    store.getState().reanalyze((graph) => analyzeMeter(graph, context));
  }, [store, context]);
  const value: MeterEditorValue = useMemo(
    () => ({ store, meterId: meter.id, context, definitions, editable, nodeName }),
    [store, meter.id, context, definitions, editable],
  );
  const [version, setVersion] = useState(meter.version);
  const [quickAdd, setQuickAdd] = useState(false);
  const [history, setHistory] = useState(false);
  const [measured, setMeasured] = useState<ReadonlyMap<string, Size>>(new Map());
  const canvasRef = useRef<HTMLDivElement>(null);

  const revision = useStore(store, (s) => s.revision);
  const dirty = useStore(store, isDirty);
  const preview = useMeterPreview(store, meter.id, revision);
  // The edges show the preview's counts, or, when the user picks it in the toolbar, the latest run's.
  const latestRun = useMeterRun(meter.id);
  const [countsFrom, setCountsFrom] = useState<'preview' | 'run'>('preview');
  const runProgress = latestRun?.progress;
  const counts = useMemo(
    () => (countsFrom === 'run' && runProgress ? runCounts(runProgress) : preview.preview),
    [countsFrom, runProgress, preview.preview],
  );
  const saving = useSaveMeter(store, meter.id, version, setVersion);
  const { clearRefusal } = saving;
  useEffect(() => clearRefusal(), [revision, clearRefusal]);
  useUnsavedWarning(dirty);
  const openQuickAdd = useCallback(() => setQuickAdd(true), []);
  useCanvasKeys(store, editable, canvasRef, openQuickAdd);

  const onMeasured = useCallback((sizes: Map<string, Size>) => setMeasured((before) => new Map([...before, ...sizes])), []);
  const sizeOf = useCallback((id: string) => measured.get(id) ?? DEFAULT_NODE_SIZE, [measured]);

  return (
    <MeterEditorContext.Provider value={value}>
      <PreviewContext.Provider value={preview}>
        <CountsContext.Provider value={counts}>
          <ReactFlowProvider>
            <div className={styles.editor}>
              <Toolbar
                name={meter.name}
                version={version}
                saving={saving.saving}
                onSave={() => void saving.save()}
                onQuickAdd={openQuickAdd}
                onHistory={() => setHistory(true)}
                sizeOf={sizeOf}
                latestRun={latestRun}
                countsFrom={latestRun ? countsFrom : 'preview'}
                onCountsFrom={setCountsFrom}
                run={runButton}
              />
              {saving.conflict ? (
                <div className={styles.conflict} role="alert">
                  <RefusalNote message={saving.conflict} />
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() => {
                      store.getState().markSaved();
                      window.location.reload();
                    }}
                  >
                    Reload the meter (discards your changes)
                  </button>
                </div>
              ) : null}
              {!editable ? <p className={styles.readOnly}>You can look at this meter; only editors and owners can change it.</p> : null}
              <div className={styles.workspace}>
                <Palette />
                <div
                  ref={canvasRef}
                  className={styles.canvasFrame}
                  tabIndex={0}
                  role="group"
                  aria-label="Meter canvas"
                  aria-describedby="meter-canvas-keys"
                >
                  <p id="meter-canvas-keys" className="sr-only">
                    Tab or / opens the quick-add; arrows move the selection, Shift for larger steps; Delete removes it; Ctrl+Z undoes.
                  </p>
                  <FlowCanvas measured={measured} onMeasured={onMeasured} />
                </div>
                <SidePanel />
              </div>
              <ProblemsList refused={saving.refused} />
            </div>
            <QuickAdd open={quickAdd} onOpenChange={setQuickAdd} returnFocus={() => canvasRef.current} />
            <HistoryDrawer
              open={history}
              onOpenChange={setHistory}
              versions={versions}
              version={version}
              onRestored={(restored, graph) => {
                store.getState().reset(graph);
                setVersion(restored);
              }}
            />
          </ReactFlowProvider>
        </CountsContext.Provider>
      </PreviewContext.Provider>
    </MeterEditorContext.Provider>
  );
}
