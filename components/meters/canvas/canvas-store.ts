import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterGraph, MeterNode, NodeKind } from '@/lib/meters/graph';
import type { MeterProblem } from '@/lib/meters/problems';
import { connectionRefusal } from './connection-rules';
import {
  copyOf,
  newId,
  edgeBetween,
  pastedCopy,
  sameStructure,
  withNodeChanged,
  withoutElements,
  withPositions,
  type ClipboardContent,
  type Position,
} from './graph-edits';

/** What analyzeMeter (lib/meters/validate) answers; the store takes the function so tests can count calls. */
export interface CanvasAnalysis {
  problems: MeterProblem[];
  schemas: Record<string, { input: FlowSchema; output: FlowSchema }>;
}
export type Analyze = (graph: MeterGraph) => CanvasAnalysis;

export interface CanvasStoreOptions {
  graph: MeterGraph;
  analyze: Analyze;
  /** For grouping a burst of edits of one field into one undo step; Date.now unless a test drives time. */
  now?: () => number;
}

export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
}

/** Edits of one field within this long of each other are one undo step (typing a condition is one step). */
export const GROUP_WINDOW_MS = 1_000;
/** How far each paste moves the copies, so they do not hide the originals. */
export const PASTE_OFFSET = 40;
const HISTORY_LIMIT = 200;

export interface CanvasState {
  graph: MeterGraph;
  /** The graph as last saved (or loaded): the editor is dirty when the graph is another object. */
  savedGraph: MeterGraph;
  analysis: CanvasAnalysis;
  /**
   * The graph `analysis` was computed for: the graph as of the last structural or config change, with the
   * positions it had then. What reads no position (the side panel) subscribes to it and so sits out moves.
   */
  analyzedGraph: MeterGraph;
  /** Bumps on every structural or config change (each new analysis): the preview reruns on it. */
  revision: number;
  selection: Selection;
  clipboard: ClipboardContent | null;
  past: MeterGraph[];
  future: MeterGraph[];
  /** The graph before the move in progress (a drag, a burst of arrow keys); one undo step when committed. */
  moveBase: MeterGraph | null;
  lastGroup: { key: string; at: number } | null;
  pasteCount: number;
  /**
   * The rows a file source's panel read from the chosen file, by node id, for the preview. Not part of the
   * graph (only the file's name, format and fields are saved) and not undoable.
   */
  samples: Readonly<Record<string, FlowRecord[]>>;

  /** A file source's sample rows changed: the preview reruns. */
  setSampleRows(nodeId: string, rows: FlowRecord[]): void;
  select(selection: Partial<Selection>): void;
  /** Positions while dragging or nudging: no history yet, no analysis. */
  moveNodes(positions: ReadonlyMap<string, Position>): void;
  /** The selection moved by (dx, dy); part of the same move step until commitMove. */
  nudgeSelection(dx: number, dy: number): void;
  /** Ends a drag or a burst of arrow keys: one undo step. */
  commitMove(): void;
  /** A node of `kind` at `position`, selected; connected after `connectFrom` when that connection is allowed. */
  addNode(kind: NodeKind, config: unknown, position: Position, connectFrom?: string): string;
  /** Connects, or answers why not (and changes nothing). */
  connect(source: string, target: string): string | null;
  deleteSelection(): void;
  removeElements(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  updateConfig(nodeId: string, config: unknown): void;
  setLabel(nodeId: string, label: string): void;
  /** New positions for many nodes at once (auto-layout): one undo step. */
  arrange(positions: ReadonlyMap<string, Position>): void;
  copySelection(): void;
  paste(): void;
  undo(): void;
  redo(): void;
  /** The graph the server now holds (the one a save sent; edits made while it was in flight stay dirty). */
  markSaved(sent?: MeterGraph): void;
  /** Another graph altogether (a restored version, a reload): history starts again. */
  reset(graph: MeterGraph): void;
  /** What the analysis knows changed (the page refreshed the workspace's stores): analyze again with `analyze`. */
  reanalyze(analyze: Analyze): void;
}

export type MeterCanvasStore = StoreApi<CanvasState>;

export const isDirty = (state: Pick<CanvasState, 'graph' | 'savedGraph'>) => state.graph !== state.savedGraph;

/**
 * One store per canvas (zustand, vanilla: React reaches it through a context). The graph is our model
 * (lib/meters/graph); React Flow's nodes and edges are derived from it for rendering only. Every change
 * that validation can see (nodes, edges, labels, configs) reruns `analyze` at once, so problems never go
 * stale; a move (drag, arrows, layout) changes positions only and never reruns it.
 */
export function createMeterCanvasStore({ graph, analyze: initialAnalyze, now = Date.now }: CanvasStoreOptions): MeterCanvasStore {
  let analyze = initialAnalyze;
  return createStore<CanvasState>()((set, get) => {
    /** Makes `next` the graph as one undo step (or part of the last one, for the same group key within the window). */
    const commit = (next: MeterGraph, options: { group?: string; selection?: Selection } = {}) => {
      get().commitMove();
      const state = get();
      if (next === state.graph) return;
      const at = now();
      const grouped = options.group !== undefined && state.lastGroup?.key === options.group && at - state.lastGroup.at < GROUP_WINDOW_MS;
      const structural = !sameStructure(state.graph, next);
      set({
        graph: next,
        past: grouped ? state.past : [...state.past, state.graph].slice(-HISTORY_LIMIT),
        future: [],
        lastGroup: options.group === undefined ? null : { key: options.group, at },
        ...(structural ? { analysis: analyze(next), analyzedGraph: next, revision: state.revision + 1 } : {}),
        ...(options.selection ? { selection: options.selection } : {}),
      });
    };

    /** Undo and redo: the graph becomes `next`; analysis reruns only when more than positions differ. */
    const travel = (next: MeterGraph, past: MeterGraph[], future: MeterGraph[]) => {
      const state = get();
      const structural = !sameStructure(state.graph, next);
      const present = new Set(next.nodes.map((n) => n.id));
      const edges = new Set(next.edges.map((e) => e.id));
      set({
        graph: next,
        past,
        future,
        lastGroup: null,
        selection: { nodes: state.selection.nodes.filter((id) => present.has(id)), edges: state.selection.edges.filter((id) => edges.has(id)) },
        ...(structural ? { analysis: analyze(next), analyzedGraph: next, revision: state.revision + 1 } : {}),
      });
    };

    return {
      graph,
      savedGraph: graph,
      analysis: analyze(graph),
      analyzedGraph: graph,
      revision: 0,
      samples: {},
      setSampleRows: (nodeId, rows) => {
        if (get().samples[nodeId] === rows) return;
        set({ samples: { ...get().samples, [nodeId]: rows }, revision: get().revision + 1 });
      },
      selection: { nodes: [], edges: [] },
      clipboard: null,
      past: [],
      future: [],
      moveBase: null,
      lastGroup: null,
      pasteCount: 0,

      select: (selection) => set((state) => ({ selection: { ...state.selection, ...selection } })),

      moveNodes: (positions) => {
        const state = get();
        if (positions.size === 0) return;
        set({ moveBase: state.moveBase ?? state.graph, graph: withPositions(state.graph, positions) });
      },

      nudgeSelection: (dx, dy) => {
        const { graph: current, selection } = get();
        const chosen = new Set(selection.nodes);
        const positions = new Map(
          current.nodes.filter((n) => chosen.has(n.id)).map((n) => [n.id, { x: n.position.x + dx, y: n.position.y + dy }] as const),
        );
        get().moveNodes(positions);
      },

      commitMove: () => {
        const { moveBase, graph: current, past } = get();
        if (moveBase === null) return;
        set(moveBase === current ? { moveBase: null } : { moveBase: null, past: [...past, moveBase].slice(-HISTORY_LIMIT), future: [], lastGroup: null });
      },

      addNode: (kind, config, position, connectFrom) => {
        const node: MeterNode = { id: newId('n'), kind, label: '', position, config };
        const withNode = { ...get().graph, nodes: [...get().graph.nodes, node] };
        const connects = connectFrom !== undefined && connectionRefusal(withNode, connectFrom, node.id) === null;
        const next = connects ? { ...withNode, edges: [...withNode.edges, edgeBetween(connectFrom, node.id)] } : withNode;
        commit(next, { selection: { nodes: [node.id], edges: [] } });
        return node.id;
      },

      connect: (source, target) => {
        const current = get().graph;
        const refusal = connectionRefusal(current, source, target);
        if (refusal !== null) return refusal;
        commit({ ...current, edges: [...current.edges, edgeBetween(source, target)] });
        return null;
      },

      deleteSelection: () => get().removeElements(get().selection.nodes, get().selection.edges),

      removeElements: (nodeIds, edgeIds = []) => {
        if (nodeIds.length === 0 && edgeIds.length === 0) return;
        const state = get();
        const nodes = new Set(nodeIds);
        const edges = new Set(edgeIds);
        commit(withoutElements(state.graph, nodes, edges), {
          selection: { nodes: state.selection.nodes.filter((id) => !nodes.has(id)), edges: state.selection.edges.filter((id) => !edges.has(id)) },
        });
      },

      updateConfig: (nodeId, config) => commit(withNodeChanged(get().graph, nodeId, { config }), { group: `config:${nodeId}` }),

      setLabel: (nodeId, label) => commit(withNodeChanged(get().graph, nodeId, { label }), { group: `label:${nodeId}` }),

      arrange: (positions) => commit(withPositions(get().graph, positions)),

      copySelection: () => {
        const { graph: current, selection } = get();
        if (selection.nodes.length === 0) return;
        set({ clipboard: copyOf(current, new Set(selection.nodes)), pasteCount: 0 });
      },

      paste: () => {
        const { clipboard, pasteCount, graph: current } = get();
        if (!clipboard || clipboard.nodes.length === 0) return;
        const copy = pastedCopy(clipboard, PASTE_OFFSET * (pasteCount + 1));
        commit(
          { nodes: [...current.nodes, ...copy.nodes], edges: [...current.edges, ...copy.edges] },
          { selection: { nodes: copy.nodes.map((n) => n.id), edges: copy.edges.map((e) => e.id) } },
        );
        set({ pasteCount: pasteCount + 1 });
      },

      undo: () => {
        get().commitMove();
        const { past, future, graph: current } = get();
        const previous = past.at(-1);
        if (previous === undefined) return;
        travel(previous, past.slice(0, -1), [current, ...future]);
      },

      redo: () => {
        get().commitMove();
        const { past, future, graph: current } = get();
        const [next, ...later] = future;
        if (next === undefined) return;
        travel(next, [...past, current], later);
      },

      markSaved: (sent) => set({ savedGraph: sent ?? get().graph }),

      reset: (next) =>
        set({
          graph: next,
          savedGraph: next,
          past: [],
          future: [],
          moveBase: null,
          lastGroup: null,
          selection: { nodes: [], edges: [] },
          analysis: analyze(next),
          analyzedGraph: next,
          revision: get().revision + 1,
        }),

      reanalyze: (next) => {
        analyze = next;
        set({ analysis: analyze(get().graph), analyzedGraph: get().graph, revision: get().revision + 1 });
      },
    };
  });
}

/** A graph node by id (undefined when it is gone). */
export const nodeById = (graph: MeterGraph, id: string | undefined) => (id === undefined ? undefined : graph.nodes.find((n) => n.id === id));
