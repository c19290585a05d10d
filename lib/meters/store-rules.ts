import type { MeterNode } from '@/lib/meters/graph';
import type { MeterContext, StoreRef } from '@/lib/meters/kind-spec';
import { nodeName } from '@/lib/meters/kinds/labels';
import type { MeterProblem } from '@/lib/meters/problems';

const list = (names: string[]) => (names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/**
 * The two store rules. STORE_SOURCE_AND_TARGET: one store read and written by the same meter (its output
 * would feed its own input); every node involved is marked. STORE_TARGET_TWICE: one store written by
 * several target nodes (their writes would race); every one of them is marked.
 */
export function storeRuleProblems(refs: readonly { node: MeterNode; ref: StoreRef }[], context: MeterContext): MeterProblem[] {
  const byStore = new Map<string, { sources: MeterNode[]; targets: MeterNode[] }>();
  for (const { node, ref } of refs) {
    let entry = byStore.get(ref.storeId);
    if (!entry) byStore.set(ref.storeId, (entry = { sources: [], targets: [] }));
    (ref.role === 'source' ? entry.sources : entry.targets).push(node);
  }
  const problems: MeterProblem[] = [];
  for (const [storeId, { sources, targets }] of byStore) {
    const store = `store “${context.stores.get(storeId)?.name ?? storeId}”`;
    const names = (nodes: MeterNode[]) => list(nodes.map(nodeName));
    if (sources.length && targets.length) {
      problems.push({
        code: 'STORE_SOURCE_AND_TARGET',
        severity: 'error',
        nodeIds: [...sources, ...targets].map((n) => n.id),
        edgeIds: [],
        message: `The same event store may not be both a source and a target of one meter: ${store} is read by ${names(sources)} and written by ${names(targets)}. Choose another store for the target.`,
      });
    }
    if (targets.length > 1) {
      problems.push({
        code: 'STORE_TARGET_TWICE',
        severity: 'error',
        nodeIds: targets.map((n) => n.id),
        edgeIds: [],
        message: `The same event store may not be more than one target of one meter: ${store} is written by ${names(targets)}. Connect those paths into one target node, or choose another store.`,
      });
    }
  }
  return problems;
}
