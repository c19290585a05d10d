import type { MeterGraph } from '@/lib/meters/graph';
import type { StoreRef } from '@/lib/meters/kind-spec';
import { specOf } from '@/lib/meters/kinds';

/**
 * The stores a meter reads and writes (distinct by store and role), from each node's kind: what the
 * meter_stores table records. Nodes whose config does not parse, or that have no store chosen, add none.
 */
export function storeRefsOf(graph: MeterGraph): StoreRef[] {
  const refs = new Map<string, StoreRef>();
  for (const node of graph.nodes) {
    const spec = specOf(node.kind);
    const parsed = spec.configSchema.safeParse(node.config ?? {});
    if (!parsed.success) continue;
    for (const ref of spec.storeRefs(parsed.data)) refs.set(`${ref.role}:${ref.storeId}`, ref);
  }
  return [...refs.values()];
}
