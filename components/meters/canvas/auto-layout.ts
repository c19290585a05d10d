import { Graph, layout } from '@dagrejs/dagre';
import type { MeterGraph } from '@/lib/meters/graph';
import type { Position } from './graph-edits';

export interface Size {
  width: number;
  height: number;
}

/** The size a node is drawn at before React Flow has measured it. */
export const DEFAULT_NODE_SIZE: Size = { width: 220, height: 110 };
/** The gap between columns when the canvas places a node next to another. */
export const COLUMN_GAP = 80;
export const ROW_GAP = 40;

/**
 * Positions for every node, left to right (sources on the left, targets on the right), from dagre. The
 * store applies them as one undo step (arrange); positions are top-left corners, as in the graph.
 */
export function layoutPositions(graph: MeterGraph, sizeOf: (id: string) => Size = () => DEFAULT_NODE_SIZE): Map<string, Position> {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: ROW_GAP, ranksep: COLUMN_GAP, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { ...sizeOf(node.id) });
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  layout(g);
  return new Map(
    graph.nodes.map((node) => {
      const { x, y, width, height } = g.node(node.id);
      return [node.id, { x: Math.round(x - width / 2), y: Math.round(y - height / 2) }];
    }),
  );
}

/**
 * Where click-to-add puts a new node: one column right of the node it follows (below any node already
 * there); with nothing to follow, sources stack at the left edge and the rest one column right of everything.
 */
export function placementFor(graph: MeterGraph, after: string | undefined, isSource: boolean, size: Size = DEFAULT_NODE_SIZE): Position {
  const follow = graph.nodes.find((n) => n.id === after);
  const xs = graph.nodes.map((n) => n.position.x);
  const x = follow ? follow.position.x + size.width + COLUMN_GAP : isSource ? Math.min(0, ...xs) : graph.nodes.length ? Math.max(...xs) + size.width + COLUMN_GAP : 0;
  let y = follow ? follow.position.y : 0;
  const taken = (top: number) => graph.nodes.some((n) => Math.abs(n.position.x - x) < size.width && Math.abs(n.position.y - top) < size.height);
  while (taken(y)) y += size.height + ROW_GAP;
  return { x, y };
}
