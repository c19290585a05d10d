// STAND-IN until the model branch lands
import { categoryOf, meterGraphSchema, type MeterGraph } from '@/lib/meters/graph';
import type { FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterContext } from '@/lib/meters/kind-spec';
import type { MeterProblem } from '@/lib/meters/problems';

export interface MeterAnalysis {
  problems: MeterProblem[];
  schemas: Record<string, { input: FlowSchema; output: FlowSchema }>;
}

const problem = (code: string, nodeIds: string[], message: string): MeterProblem => ({ code, severity: 'error', nodeIds, edgeIds: [], message });

/** Stand-in: the graph schema, sources and targets present, and the two store rules. */
export function analyzeMeter(raw: MeterGraph, context: MeterContext): MeterAnalysis {
  const parsed = meterGraphSchema.safeParse(raw);
  if (!parsed.success) return { problems: [problem('GRAPH_INVALID', [], parsed.error.issues[0]?.message ?? 'The graph is not valid.')], schemas: {} };
  const graph = parsed.data;
  const problems: MeterProblem[] = [];
  if (!graph.nodes.some((n) => categoryOf(n.kind) === 'source')) problems.push(problem('NO_SOURCE', [], 'Add a source.'));
  if (!graph.nodes.some((n) => categoryOf(n.kind) === 'target')) problems.push(problem('NO_TARGET', [], 'Add a target.'));
  const storeOf = (kind: string) => graph.nodes.filter((n) => n.kind === kind).map((n) => ({ id: n.id, storeId: String((n.config as { storeId?: unknown })?.storeId ?? '') }));
  const sources = storeOf('source.eventStore');
  const targets = storeOf('target.eventStore');
  for (const node of [...sources, ...targets]) {
    if (node.storeId && !context.stores.has(node.storeId)) problems.push(problem('STORE_NOT_FOUND', [node.id], 'Choose a store of this workspace.'));
  }
  for (const target of targets) {
    const same = sources.filter((s) => s.storeId && s.storeId === target.storeId);
    if (same.length) problems.push(problem('STORE_SOURCE_AND_TARGET', [...same.map((s) => s.id), target.id], 'A store may not be both a source and a target of one meter.'));
    const twice = targets.filter((t) => t.storeId && t.storeId === target.storeId);
    if (twice.length > 1 && twice[0]!.id === target.id) problems.push(problem('STORE_TARGET_TWICE', twice.map((t) => t.id), 'A store may be the target of one node only.'));
  }
  return { problems, schemas: {} };
}

export const validateMeter = (graph: MeterGraph, context: MeterContext): MeterProblem[] => analyzeMeter(graph, context).problems;
