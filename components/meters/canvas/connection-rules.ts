import { connectionProblem } from '@/lib/meters/connection';
import type { MeterGraph, MeterNode } from '@/lib/meters/graph';

/** How a node is named on the canvas: its label, else its kind's label. */
export type NodeName = (node: MeterNode) => string;

/**
 * Why the connection source → target may not be made, or null when it may: the model's rule
 * (lib/meters/connection.ts, tested against validateMeter), so what can be drawn is exactly what
 * validates. The canvas asks while a connection is dragged (React Flow's isValidConnection) and the side
 * panel's "Connect to…" offers only the nodes it allows.
 */
export const connectionRefusal = (graph: MeterGraph, sourceId: string, targetId: string): string | null => connectionProblem(graph, sourceId, targetId);

/** The nodes `sourceId` may connect to, in the graph's order (for the panel's "Connect to…"). */
export function connectableTargets(graph: MeterGraph, sourceId: string): MeterNode[] {
  return graph.nodes.filter((n) => connectionRefusal(graph, sourceId, n.id) === null);
}
