'use client';

import '@xyflow/react/dist/style.css';
import {
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useMemo, useState, type DragEvent } from 'react';
import { toast } from '@/components/ui/toaster';
import { categoryOf, NODE_KINDS, type MeterNode, type NodeKind } from '@/lib/meters/graph';
import { specOf } from '@/lib/meters/kinds';
import { DEFAULT_NODE_SIZE, type Size } from './auto-layout';
import { CanvasGrid } from './canvas-grid';
import { edgeViews, nodeViews, type CanvasEdge, type CanvasNode, type EdgeView, type NodeView } from './canvas-view';
import { connectionRefusal } from './connection-rules';
import { useCanvas, useCounts, useMeterEditor } from './editor-context';
import { EDGE_TYPES } from './meter-edge';
import { NODE_TYPES } from './meter-node';
import styles from './canvas.module.css';

/** The MIME type the palette puts a kind under when one of its entries is dragged. */
export const PALETTE_MIME = 'application/x-meter-node-kind';
/** Above this many nodes the canvas draws only what is in view. */
const VISIBLE_ONLY_ABOVE = 100;

const isKind = (value: string): value is NodeKind => (NODE_KINDS as readonly string[]).includes(value);

/**
 * The React Flow canvas, controlled by the canvas store: nodes and edges are derived from our graph on each
 * render, and every change React Flow reports goes back to the store (positions while dragging, committed
 * as one step on drag stop; selection). Deleting and keyboard shortcuts are the editor's (use-canvas-keys).
 */
export function FlowCanvas({ measured, onMeasured }: { measured: ReadonlyMap<string, Size>; onMeasured: (sizes: Map<string, Size>) => void }) {
  const { store, context, editable, nodeName } = useMeterEditor();
  const graph = useCanvas((s) => s.graph);
  const analysis = useCanvas((s) => s.analysis);
  const selection = useCanvas((s) => s.selection);
  const counts = useCounts();
  const { screenToFlowPosition } = useReactFlow();

  // Rebuilt only with the analysis (every structural or config change) or the counts, never on a move.
  const views = useMemo(() => nodeViews(store.getState().graph, analysis, counts, context, nodeName), [store, analysis, counts, context, nodeName]);
  const edgeData = useMemo(() => edgeViews(store.getState().graph, analysis, counts, nodeName), [store, analysis, counts, nodeName]);
  const [nodeCache] = useState(() => new WeakMap<MeterNode, CanvasNode>());

  const nodes = useMemo(() => {
    const selected = new Set(selection.nodes);
    return graph.nodes.map((node): CanvasNode => {
      const data = views.get(node.id) ?? fallbackView(node, nodeName);
      const cached = nodeCache.get(node);
      const size = measured.get(node.id);
      // The same object as last time when nothing about it changed: React Flow then skips the node entirely.
      if (cached && cached.data === data && cached.selected === selected.has(node.id) && cached.measured === size) return cached;
      const made: CanvasNode = {
        id: node.id,
        type: data.category,
        position: node.position,
        data,
        selected: selected.has(node.id),
        ...(size ? { measured: size } : {}),
        ariaLabel: `${data.title} (${data.kindLabel})${data.errors + data.warnings > 0 ? `, ${data.errors + data.warnings} problem${data.errors + data.warnings === 1 ? '' : 's'}` : ''}`,
        draggable: editable,
        connectable: editable,
        deletable: false,
      };
      nodeCache.set(node, made);
      return made;
    });
  }, [graph.nodes, views, selection.nodes, measured, nodeCache, nodeName, editable]);

  // Names come from the views, not graph.nodes: a move (new positions) then rebuilds no edge, and React Flow
  // re-renders none of them while a node is dragged.
  const edges = useMemo(() => {
    const selected = new Set(selection.edges);
    const title = (id: string) => views.get(id)?.title ?? 'a missing node';
    return graph.edges.map(
      (edge): CanvasEdge => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: 'meter',
        data: edgeData.get(edge.id) ?? NO_EDGE_VIEW,
        selected: selected.has(edge.id),
        deletable: false,
        ariaLabel: `Connection from ${title(edge.source)} to ${title(edge.target)}`,
      }),
    );
  }, [graph.edges, views, edgeData, selection.edges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const positions = new Map<string, MeterNode['position']>();
      const sizes = new Map<string, Size>();
      const chosen = new Set(store.getState().selection.nodes);
      let selectionChanged = false;
      for (const change of changes) {
        if (change.type === 'position' && change.position) positions.set(change.id, change.position);
        else if (change.type === 'dimensions' && change.dimensions) sizes.set(change.id, change.dimensions);
        else if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) chosen.add(change.id);
          else chosen.delete(change.id);
        }
      }
      if (positions.size > 0 && editable) store.getState().moveNodes(positions);
      if (selectionChanged) store.getState().select({ nodes: [...chosen] });
      if (sizes.size > 0) onMeasured(sizes);
    },
    [store, editable, onMeasured],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<CanvasEdge>[]) => {
      const chosen = new Set(store.getState().selection.edges);
      let changed = false;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        changed = true;
        if (change.selected) chosen.add(change.id);
        else chosen.delete(change.id);
      }
      if (changed) store.getState().select({ edges: [...chosen] });
    },
    [store],
  );

  const isValidConnection: IsValidConnection<CanvasEdge> = useCallback(
    (c) => connectionRefusal(store.getState().graph, c.source, c.target) === null,
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const refusal = store.getState().connect(c.source, c.target);
      if (refusal) toast.error(refusal);
    },
    [store],
  );

  const commitMove = useCallback(() => store.getState().commitMove(), [store]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!isKind(kind) || !editable) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addNode(kind, specOf(kind).defaultConfig(), { x: Math.round(at.x - DEFAULT_NODE_SIZE.width / 2), y: Math.round(at.y - 20) });
    },
    [store, editable, screenToFlowPosition],
  );

  return (
    <div className={styles.canvas} onDragOver={onDragOver} onDrop={onDrop} data-testid="meter-canvas">
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={commitMove}
        onSelectionDragStop={commitMove}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        nodesConnectable={editable}
        nodesDraggable={editable}
        deleteKeyCode={null}
        disableKeyboardA11y
        onlyRenderVisibleElements={graph.nodes.length > VISIBLE_ONLY_ABOVE}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.1}
        aria-label="Meter canvas"
      >
        <CanvasGrid />
        <Controls aria-label="Zoom" showInteractive={false} showFitView={false} />
        <MiniMap style={MINIMAP_SIZE} pannable zoomable ariaLabel="Overview of the meter" nodeClassName={(n) => styles[`mini-${(n.data as NodeView).category}`] ?? ''} />
      </ReactFlow>
    </div>
  );
}

const MINIMAP_SIZE = { width: 140, height: 90 };
const NO_EDGE_VIEW: EdgeView = { label: '', problem: false };

function fallbackView(node: MeterNode, nodeName: (node: MeterNode) => string): NodeView {
  return { title: nodeName(node), kindLabel: node.kind, category: categoryOf(node.kind), summary: '', output: [], errors: 0, warnings: 0, firstProblem: '', previewOut: null };
}
