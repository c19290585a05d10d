import type { MeterEdge, MeterGraph, MeterNode } from '@/lib/meters/graph';

/**
 * Pure edits of a meter graph for the canvas store. Each returns a new graph and keeps every node and edge
 * it did not change (same objects), so the store can tell a move from a structural change cheaply and React
 * re-renders only what changed.
 */

export type Position = MeterNode['position'];

/** A fresh id that the graph schema accepts (letters, digits, "-"); random enough for one canvas. */
export function newId(prefix: 'n' | 'e'): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function withPositions(graph: MeterGraph, positions: ReadonlyMap<string, Position>): MeterGraph {
  if (positions.size === 0) return graph;
  return { ...graph, nodes: graph.nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)) };
}

export function withNodeChanged(graph: MeterGraph, id: string, change: Partial<Pick<MeterNode, 'label' | 'config'>>): MeterGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? { ...n, ...change } : n)) };
}

/** Removes the nodes (with every edge touching them) and the edges. */
export function withoutElements(graph: MeterGraph, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): MeterGraph {
  return {
    nodes: graph.nodes.filter((n) => !nodeIds.has(n.id)),
    edges: graph.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target)),
  };
}

export function edgeBetween(source: string, target: string): MeterEdge {
  return { id: newId('e'), source, sourcePort: 'out', target, targetPort: 'in' };
}

/** What Copy keeps: the chosen nodes and the edges between them. */
export interface ClipboardContent {
  nodes: MeterNode[];
  edges: MeterEdge[];
}

export function copyOf(graph: MeterGraph, nodeIds: ReadonlySet<string>): ClipboardContent {
  return {
    nodes: graph.nodes.filter((n) => nodeIds.has(n.id)),
    edges: graph.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target)),
  };
}

/** The clipboard's nodes under new ids, moved by `offset`, with their edges re-pointed to the copies. */
export function pastedCopy(content: ClipboardContent, offset: number): ClipboardContent {
  const ids = new Map(content.nodes.map((n) => [n.id, newId('n')]));
  return {
    nodes: content.nodes.map((n) => ({
      ...n,
      id: ids.get(n.id)!,
      position: { x: n.position.x + offset, y: n.position.y + offset },
      config: structuredClone(n.config),
    })),
    edges: content.edges.map((e) => ({ ...e, id: newId('e'), source: ids.get(e.source)!, target: ids.get(e.target)! })),
  };
}

/** Whether two graphs differ only in positions: what validation reads is the same (same node and edge objects otherwise). */
export function sameStructure(a: MeterGraph, b: MeterGraph): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges && (a.edges.length !== b.edges.length || a.edges.some((e, i) => e !== b.edges[i]))) return false;
  if (a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((n, i) => {
    const m = b.nodes[i];
    return n === m || (m !== undefined && n.id === m.id && n.kind === m.kind && n.label === m.label && n.config === m.config);
  });
}
