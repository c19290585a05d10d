import type { MeterGraph } from '@/lib/meters/graph';
import { specOf } from '@/lib/meters/kinds';
import { nodeName } from '@/lib/meters/kinds/labels';

/**
 * Why a new connection from `sourceId` to `targetId` would be refused, or null when it may be made: the
 * canvas's isValidConnection while dragging and the panel's "connect to" choices, by the rules
 * validateMeter applies to saved graphs (EDGE_INVALID and CYCLE), so what can be drawn is what validates.
 */
export function connectionProblem(graph: Pick<MeterGraph, 'nodes' | 'edges'>, sourceId: string, targetId: string): string | null {
  const from = graph.nodes.find((n) => n.id === sourceId);
  const to = graph.nodes.find((n) => n.id === targetId);
  if (!from || !to) return 'Both ends of a connection must be nodes of this meter.';
  const a = nodeName(from);
  const b = nodeName(to);
  if (sourceId === targetId) return `${a} cannot be connected to itself.`;
  if (specOf(from.kind).outputs === 0) return `${a} is a target: nothing flows out of it.`;
  if (specOf(to.kind).inputs === 0) return `${b} is a source: nothing flows into it.`;
  if (graph.edges.some((e) => e.source === sourceId && e.target === targetId)) return `${a} is already connected to ${b}.`;
  // A path from the new target back to the new source would close a cycle.
  const seen = new Set([targetId]);
  const queue = [targetId];
  while (queue.length) {
    const id = queue.pop()!;
    for (const e of graph.edges) {
      if (e.source !== id || seen.has(e.target)) continue;
      if (e.target === sourceId) return `Connecting ${a} to ${b} would make a cycle: ${b} already feeds ${a}.`;
      seen.add(e.target);
      queue.push(e.target);
    }
  }
  return null;
}
