import type { CompiledPipeline } from '@/lib/pipeline/compile-pipeline';
import type { NodeCounts, RunProgress, TargetCounts } from '@/lib/runs/types';

/**
 * The run's counts as they grow: per node records in, out and rejected (dropped is derived, as preview
 * does: what came in and neither left nor was rejected, 0 for a combining Aggregate), per edge, per target.
 * `snapshot()` hands out a copy, so a caller persisting it asynchronously never sees it change underneath.
 */
export class RunTally {
  read = 0;
  partialWindows = 0;
  private readonly nodes = new Map<string, { in: number; out: number; rejected: number; combining: boolean }>();
  private readonly edges = new Map<string, number>();
  private readonly targets = new Map<string, TargetCounts>();

  constructor(pipeline: CompiledPipeline) {
    for (const node of pipeline.nodes) {
      this.nodes.set(node.id, { in: 0, out: 0, rejected: 0, combining: node.combining });
      for (const edge of node.outEdges) this.edges.set(edge, 0);
      if (node.category === 'target') this.targets.set(node.id, { inserted: 0, replaced: 0, unchanged: 0, sent: 0 });
    }
  }

  countNode(id: string, input: number, output: number, rejected: number, outEdges: readonly string[]): void {
    const counts = this.nodes.get(id)!;
    counts.in += input;
    counts.out += output;
    counts.rejected += rejected;
    for (const edge of outEdges) this.edges.set(edge, this.edges.get(edge)! + output);
  }

  countTarget(id: string, written: TargetCounts): void {
    const counts = this.targets.get(id)!;
    counts.inserted += written.inserted;
    counts.replaced += written.replaced;
    counts.unchanged += written.unchanged;
    counts.sent += written.sent;
  }

  targetCounts(id: string): TargetCounts {
    return { ...this.targets.get(id)! };
  }

  snapshot(): RunProgress {
    const nodes: Record<string, NodeCounts> = {};
    for (const [id, c] of this.nodes) {
      nodes[id] = { in: c.in, out: c.out, rejected: c.rejected, dropped: c.combining ? 0 : Math.max(0, c.in - c.out - c.rejected) };
    }
    const targets: Record<string, TargetCounts> = {};
    for (const [id, c] of this.targets) targets[id] = { ...c };
    return { read: this.read, nodes, edges: Object.fromEntries(this.edges), targets, partialWindows: this.partialWindows };
  }
}
