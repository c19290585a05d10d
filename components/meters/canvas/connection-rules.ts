import { categoryOf, type MeterGraph, type MeterNode } from '@/lib/meters/graph';

/** How a node is named in a message: its label, else a name for its kind (the registry's, given by the caller). */
export type NodeName = (node: MeterNode) => string;
const byLabelOrKind: NodeName = (node) => node.label || node.kind;

/**
 * Why the connection source → target may not be made, or null when it may. The canvas asks while a
 * connection is dragged (React Flow's isValidConnection, so the handle refuses it on the spot) and the side
 * panel's "Connect to…" offers only the nodes this allows. validateMeter reports the same faults on a saved
 * graph; this refuses them before they are drawn.
 */
export function connectionRefusal(graph: MeterGraph, sourceId: string, targetId: string, name: NodeName = byLabelOrKind): string | null {
  const source = graph.nodes.find((n) => n.id === sourceId);
  const target = graph.nodes.find((n) => n.id === targetId);
  if (!source || !target) return 'Both ends must be nodes of this meter.';
  if (source.id === target.id) return `${name(source)} cannot connect to itself.`;
  if (categoryOf(source.kind) === 'target') return `${name(source)} is a target: nothing leaves it.`;
  if (categoryOf(target.kind) === 'source') return `${name(target)} is a source: nothing enters it.`;
  if (graph.edges.some((e) => e.source === sourceId && e.target === targetId)) return `${name(source)} is already connected to ${name(target)}.`;
  if (reaches(graph, targetId, sourceId)) return `Connecting ${name(source)} to ${name(target)} would make a loop: records would flow back into ${name(source)}.`;
  return null;
}

/** The nodes `sourceId` may connect to, in the graph's order (for the panel's "Connect to…"). */
export function connectableTargets(graph: MeterGraph, sourceId: string): MeterNode[] {
  return graph.nodes.filter((n) => connectionRefusal(graph, sourceId, n.id) === null);
}

/** Whether following edges from `from` arrives at `to`. */
function reaches(graph: MeterGraph, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}
