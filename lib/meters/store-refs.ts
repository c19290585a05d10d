// STAND-IN until the model branch lands
import type { MeterGraph } from '@/lib/meters/graph';
import type { StoreRef } from '@/lib/meters/kind-spec';

/** The distinct stores a graph reads and writes (stand-in: reads `storeId` of Event Store nodes). */
export function storeRefsOf(graph: MeterGraph): StoreRef[] {
  const seen = new Map<string, StoreRef>();
  for (const node of graph.nodes) {
    const storeId = (node.config as { storeId?: unknown } | undefined)?.storeId;
    if (typeof storeId !== 'string' || storeId === '') continue;
    const role = node.kind === 'source.eventStore' ? 'source' : node.kind === 'target.eventStore' ? 'target' : null;
    if (role) seen.set(`${role}:${storeId}`, { storeId, role });
  }
  return [...seen.values()];
}
