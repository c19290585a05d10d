import type { MeterEdge, MeterGraph, MeterNode } from '@/lib/meters/graph';

export interface NodeChange {
  before: MeterNode;
  after: MeterNode;
  /** What changed; moving a node is not a change. */
  changed: ('label' | 'config' | 'kind')[];
}

export interface GraphDiff {
  addedNodes: MeterNode[];
  removedNodes: MeterNode[];
  changedNodes: NodeChange[];
  addedEdges: MeterEdge[];
  removedEdges: MeterEdge[];
}

/** Edges are the same connection when they join the same ports of the same nodes, whatever their ids. */
const edgeKey = (e: MeterEdge) => `${e.source}:${e.sourcePort}->${e.target}:${e.targetPort}`;

/** JSON with object keys sorted, so two configs that differ only in key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/**
 * What changed from graph `a` to graph `b`, for the version history: nodes added, removed, or changed in
 * kind, label or config (matched by id), and connections added or removed. Positions are ignored.
 */
export function diffGraphs(a: MeterGraph, b: MeterGraph): GraphDiff {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  const changedNodes: NodeChange[] = [];
  for (const [id, next] of after) {
    const prev = before.get(id);
    if (!prev) continue;
    const changed: NodeChange['changed'] = [];
    if (prev.kind !== next.kind) changed.push('kind');
    if (prev.label !== next.label) changed.push('label');
    if (canonical(prev.config) !== canonical(next.config)) changed.push('config');
    if (changed.length) changedNodes.push({ before: prev, after: next, changed });
  }
  const edgesBefore = new Set(a.edges.map(edgeKey));
  const edgesAfter = new Set(b.edges.map(edgeKey));
  return {
    addedNodes: b.nodes.filter((n) => !before.has(n.id)),
    removedNodes: a.nodes.filter((n) => !after.has(n.id)),
    changedNodes,
    addedEdges: b.edges.filter((e) => !edgesBefore.has(edgeKey(e))),
    removedEdges: a.edges.filter((e) => !edgesAfter.has(edgeKey(e))),
  };
}

export const isEmptyDiff = (d: GraphDiff) =>
  d.addedNodes.length + d.removedNodes.length + d.changedNodes.length + d.addedEdges.length + d.removedEdges.length === 0;
