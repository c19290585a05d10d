import type { Edge, Node } from '@xyflow/react';
import type { FlowField } from '@/lib/meters/flow-schema';
import { categoryOf, type MeterGraph, type MeterNode, type NodeCategory } from '@/lib/meters/graph';
import type { MeterContext } from '@/lib/meters/kind-spec';
import { specOf } from '@/lib/meters/kinds';
import type { MeterProblem } from '@/lib/meters/problems';
import type { CanvasAnalysis } from './canvas-store';
import type { FlowCounts } from './run-counts';

/**
 * What the canvas draws for each node and edge, derived from the model (the graph, its analysis, and the
 * counts: the sample preview's, or a run's when the toolbar shows the run). Built again only when the analysis or the preview changes, so a drag, which changes positions
 * only, hands React Flow the very same data objects and no node re-renders its contents.
 */

export interface NodeView extends Record<string, unknown> {
  title: string;
  kindLabel: string;
  category: NodeCategory;
  summary: string;
  output: FlowField[];
  errors: number;
  warnings: number;
  /** The first problem's message, for the badge's tooltip and the node's accessible description. */
  firstProblem: string;
  /** Records leaving the node in the preview (or the run shown), when there are counts. */
  previewOut: number | null;
}

export interface EdgeView extends Record<string, unknown> {
  /** "1,000 → 312, dropped 688 by Filter", when a preview ran (or a run is shown). */
  label: string;
  problem: boolean;
}

export type CanvasNode = Node<NodeView, NodeCategory>;
export type CanvasEdge = Edge<EdgeView, 'meter'>;

const count = (n: number) => n.toLocaleString('en-US');

/** The kind's summary of a config that parses; "Needs settings" for one that does not. */
export function summaryOf(node: MeterNode, context: MeterContext): string {
  const spec = specOf(node.kind);
  const parsed = spec.configSchema.safeParse(node.config);
  if (!parsed.success) return 'Needs settings';
  try {
    return spec.summary(parsed.data, context);
  } catch {
    return '';
  }
}

export function nodeViews(
  graph: MeterGraph,
  analysis: CanvasAnalysis,
  preview: FlowCounts | null,
  context: MeterContext,
  nodeName: (node: MeterNode) => string,
): Map<string, NodeView> {
  const problemsOf = problemsByNode(analysis.problems);
  return new Map(
    graph.nodes.map((node) => {
      const problems = problemsOf.get(node.id) ?? [];
      const errors = problems.filter((p) => p.severity === 'error').length;
      return [
        node.id,
        {
          title: nodeName(node),
          kindLabel: specOf(node.kind).label,
          category: categoryOf(node.kind),
          summary: summaryOf(node, context),
          output: analysis.schemas[node.id]?.output.fields ?? [],
          errors,
          warnings: problems.length - errors,
          firstProblem: problems[0]?.message ?? '',
          previewOut: preview?.nodes[node.id]?.out ?? null,
        },
      ];
    }),
  );
}

export function edgeViews(graph: MeterGraph, analysis: CanvasAnalysis, preview: FlowCounts | null, nodeName: (node: MeterNode) => string): Map<string, EdgeView> {
  const marked = new Set(analysis.problems.flatMap((p) => p.edgeIds));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return new Map(
    graph.edges.map((edge) => {
      const source = byId.get(edge.source);
      return [edge.id, { label: source ? edgeLabel(edge.id, source, preview, nodeName) : '', problem: marked.has(edge.id) }];
    }),
  );
}

/** The counts' story of one edge: what entered its source node, what left along it, and what the source dropped. */
export function edgeLabel(edgeId: string, source: MeterNode, preview: FlowCounts | null, nodeName: (node: MeterNode) => string): string {
  const along = preview?.edges[edgeId];
  const at = preview?.nodes[source.id];
  if (!along || !at) return '';
  if (categoryOf(source.kind) === 'source') return count(along.count);
  const lost = at.dropped + at.rejected;
  return `${count(at.in)} → ${count(along.count)}${lost > 0 ? `, dropped ${count(lost)} by ${nodeName(source)}` : ''}`;
}

export function problemsByNode(problems: readonly MeterProblem[]): Map<string, MeterProblem[]> {
  const byNode = new Map<string, MeterProblem[]>();
  for (const problem of problems) for (const id of problem.nodeIds) byNode.set(id, [...(byNode.get(id) ?? []), problem]);
  return byNode;
}
