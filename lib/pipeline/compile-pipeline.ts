import { AppError } from '@/lib/errors';
import type { MeterGraph, MeterNode, NodeCategory } from '@/lib/meters/graph';
import { categoryOf } from '@/lib/meters/graph';
import type { MeterContext, RecordProcessor } from '@/lib/meters/kind-spec';
import { specOf } from '@/lib/meters/kinds';
import { analyzeMeter, type MeterAnalysis } from '@/lib/meters/validate';

/** One node of a compiled meter, ready to take records. */
export interface CompiledNode {
  id: string;
  node: MeterNode;
  category: NodeCategory;
  /** The node's parsed config (defaults applied). */
  config: unknown;
  /** Nodes whose output enters this node, one per incoming edge (edge order). */
  parents: string[];
  /** Ids of the edges leaving this node, to count what goes along them. */
  outEdges: string[];
  /** A fresh processor from the kind registry, the one preview uses: stateful kinds keep their state per run. */
  processor: RecordProcessor;
  /** An Aggregate combines records, so what it does not pass on is not "dropped". */
  combining: boolean;
}

/** A valid meter compiled once per run: its nodes in topological order (parents before children). */
export interface CompiledPipeline {
  nodes: CompiledNode[];
  byId: ReadonlyMap<string, CompiledNode>;
}

const COMBINING_KINDS = new Set(['processor.aggregate']);

/**
 * Compiles the nodes of `analysis` in its topological order, each with its parents and a processor made by
 * its kind's `createProcessor` from its parsed config and input schema. `include` decides which nodes to
 * compile (preview leaves out broken ones); nodes without a processor (none today) are left out too.
 */
export function compileNodes(analysis: MeterAnalysis, context: MeterContext, include: (id: string, parents: string[]) => boolean = () => true): CompiledPipeline {
  const graph = analysis.graph!;
  const byNodeId = new Map(graph.nodes.map((n) => [n.id, n]));
  const parentsOf = new Map<string, string[]>();
  const outEdgesOf = new Map<string, string[]>();
  for (const edge of analysis.edges) {
    (parentsOf.get(edge.target) ?? parentsOf.set(edge.target, []).get(edge.target)!).push(edge.source);
    (outEdgesOf.get(edge.source) ?? outEdgesOf.set(edge.source, []).get(edge.source)!).push(edge.id);
  }
  const nodes: CompiledNode[] = [];
  for (const id of analysis.order) {
    const node = byNodeId.get(id)!;
    const spec = specOf(node.kind);
    const parents = spec.inputs === 0 ? [] : (parentsOf.get(id) ?? []);
    if (!spec.createProcessor || !include(id, parents)) continue;
    const config = analysis.configs.get(id);
    nodes.push({
      id,
      node,
      category: categoryOf(node.kind),
      config,
      parents,
      outEdges: outEdgesOf.get(id) ?? [],
      processor: spec.createProcessor(config, analysis.schemas[id]!.input, context),
      combining: COMBINING_KINDS.has(node.kind),
    });
  }
  return { nodes, byId: new Map(nodes.map((n) => [n.id, n])) };
}

/**
 * Compiles a meter for a run. The run action validated the graph already; a graph that does not validate
 * here (a store deleted since) is refused with the first error, as save would word it, and every problem in
 * `details.problems`.
 */
export function compilePipeline(graph: MeterGraph, context: MeterContext): CompiledPipeline {
  const analysis = analyzeMeter(graph, context);
  const errors = analysis.problems.filter((p) => p.severity === 'error');
  if (errors.length || !analysis.graph) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new AppError('METER_HAS_ERRORS', `The meter cannot run: ${errors[0]?.message ?? 'it could not be read.'}${more}`, {
      status: 422,
      details: { problems: analysis.problems },
    });
  }
  return compileNodes(analysis, context);
}
