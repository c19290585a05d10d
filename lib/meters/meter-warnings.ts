import { categoryOf } from '@/lib/meters/graph';
import type { GraphIndex } from '@/lib/meters/graph-structure';
import { reachableFrom } from '@/lib/meters/graph-structure';
import type { AggregateConfig } from '@/lib/meters/kinds';
import { nodeName } from '@/lib/meters/kinds/labels';
import type { MeterProblem } from '@/lib/meters/problems';

const warning = (code: string, message: string, nodeIds: string[], edgeIds: string[] = []): MeterProblem => ({ code, severity: 'warning', nodeIds, edgeIds, message });

/**
 * PARALLEL_PATHS_WITHOUT_DEDUPLICATE: a target reached along two or more paths from the sources that do
 * not pass through a Deduplicate (a Deduplicate counts as the start of one path), so the same records may
 * arrive twice. `order` is topological.
 */
export function parallelPathWarnings(index: GraphIndex, order: readonly string[]): MeterProblem[] {
  const paths = new Map<string, number>();
  const problems: MeterProblem[] = [];
  for (const id of order) {
    const node = index.nodes.get(id)!;
    const ins = index.incoming.get(id)!;
    const total = ins.reduce((sum, e) => sum + (paths.get(e.source) ?? 0), 0);
    const category = categoryOf(node.kind);
    paths.set(id, category === 'source' ? 1 : node.kind === 'processor.deduplicate' ? Math.min(total, 1) : Math.min(total, 1e9));
    if (category === 'target' && total >= 2) {
      problems.push(
        warning(
          'PARALLEL_PATHS_WITHOUT_DEDUPLICATE',
          `${nodeName(node)} receives records along ${total} paths with no Deduplicate on them, so the same usage may be written twice. Add a Deduplicate before it, or ignore this when the paths carry different records.`,
          [id],
          ins.map((e) => e.id),
        ),
      );
    }
  }
  return problems;
}

/**
 * AGGREGATE_WINDOW_NOT_MONTHLY: an Aggregate whose windows can straddle two calendar months (weeks, or
 * several days) feeding a Usage records target: one window's usage would fall into two billing periods.
 * Minute and hour windows never cross midnight, so they always line up.
 */
export function aggregateWindowWarnings(index: GraphIndex, configs: ReadonlyMap<string, unknown>): MeterProblem[] {
  const problems: MeterProblem[] = [];
  for (const node of index.nodes.values()) {
    if (node.kind !== 'processor.aggregate' || !configs.has(node.id)) continue;
    const { window } = configs.get(node.id) as AggregateConfig;
    if (!(window.unit === 'week' || (window.unit === 'day' && window.amount > 1))) continue;
    const targets = [...reachableFrom(index, [node.id])].map((id) => index.nodes.get(id)!).filter((n) => n.kind === 'target.usageRecords');
    if (!targets.length) continue;
    problems.push(
      warning(
        'AGGREGATE_WINDOW_NOT_MONTHLY',
        `${nodeName(node)} sums over windows of ${window.amount} ${window.unit}${window.amount === 1 ? '' : 's'}, which do not line up with calendar months, and its results reach ${targets.map(nodeName).join(', ')}: one window could span two billing periods. Use a window of 1 month, or of 1 day or less.`,
        [node.id, ...targets.map((t) => t.id)],
      ),
    );
  }
  return problems;
}
