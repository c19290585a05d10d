import { emptyFlowSchema, type FlowField, type FlowSchema } from '@/lib/meters/flow-schema';
import { categoryOf, meterGraphSchema, type MeterEdge, type MeterGraph, type MeterNode } from '@/lib/meters/graph';
import { cyclesOf, indexGraph, structureProblems, topologicalOrder, type GraphIndex } from '@/lib/meters/graph-structure';
import type { MeterContext, StoreRef } from '@/lib/meters/kind-spec';
import { specOf } from '@/lib/meters/kinds';
import { nodeName } from '@/lib/meters/kinds/labels';
import { nodeError } from '@/lib/meters/kinds/node-problems';
import { aggregateWindowWarnings, parallelPathWarnings } from '@/lib/meters/meter-warnings';
import { hasErrors, type MeterProblem } from '@/lib/meters/problems';
import { checkNode, configKey, parseNodeConfig } from '@/lib/meters/remembered-nodes';
import { storeRuleProblems } from '@/lib/meters/store-rules';

export interface NodeSchemas {
  input: FlowSchema;
  output: FlowSchema;
}

export interface MeterAnalysis {
  problems: MeterProblem[];
  /** What flows into and out of each node; empty where it cannot be known (a cycle, a broken config upstream). */
  schemas: Record<string, NodeSchemas>;
  /** The parsed graph (defaults applied), or null when it did not parse. */
  graph: MeterGraph | null;
  /** Each node's parsed config, for the nodes whose config parses. */
  configs: Map<string, unknown>;
  /** The connections that count (EDGE_INVALID ones left out). */
  edges: MeterEdge[];
  /** Nodes in topological order, leaving out cycles and what follows them. */
  order: string[];
  /** Nodes whose input and output are known: configs parse, and so do those of every node upstream. */
  known: Set<string>;
}

/**
 * The fields common to all inputs of a node with several: by name (case-insensitive), the first input's
 * spelling; the same type, or number when integer meets number, or json when the types differ otherwise;
 * required only when required in every input.
 */
export function mergeInputs(inputs: readonly FlowSchema[]): FlowSchema {
  if (inputs.length === 0) return emptyFlowSchema();
  if (inputs.length === 1) return inputs[0]!;
  const others = inputs.slice(1).map((s) => new Map(s.fields.map((f) => [f.name.toLowerCase(), f])));
  const fields: FlowField[] = [];
  for (const field of inputs[0]!.fields) {
    const matches = others.map((m) => m.get(field.name.toLowerCase()));
    if (matches.some((m) => !m)) continue;
    let type = field.type;
    for (const m of matches as FlowField[]) {
      if (m.type === type) continue;
      type = (type === 'integer' && m.type === 'number') || (type === 'number' && m.type === 'integer') ? 'number' : 'json';
    }
    fields.push({ ...field, type, required: field.required && matches.every((m) => m!.required) });
  }
  return { fields };
}

/** What flows into every source: one object, so sources' outputs are remembered like the others'. */
const NO_INPUT: FlowSchema = Object.freeze({ fields: Object.freeze([]) as unknown as FlowField[] });

const graphInvalid = (message: string): MeterProblem => ({ code: 'GRAPH_INVALID', severity: 'error', nodeIds: [], edgeIds: [], message });

/**
 * Every problem of a meter, for the canvas (live), the save and run actions (the authority) and the API:
 * structure (edges, cycles, connectivity, sources and targets), the store rules, each node's config and
 * kind checks (expressions analyzed against the schema that flows into the node, mappings complete and
 * type-compatible), and the warnings billing analysts need. Pure and synchronous; never throws, whatever
 * `input` is: what does not parse as a graph is one GRAPH_INVALID problem.
 *
 * Schemas are computed in topological order. A node with several inputs gets the fields common to all of
 * them (mergeInputs). A node whose config does not parse, or that sits in or after a cycle, passes on an
 * unknown schema, and so does a source with errors (no store chosen, no fields): the nodes after it are
 * not checked against their input (that would only repeat the problem upstream as unknown fields), but
 * their store and config problems are still reported.
 */
export function analyzeMeter(input: unknown, context: MeterContext): MeterAnalysis {
  const parsed = meterGraphSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
    return {
      problems: [graphInvalid(`The meter could not be read: ${issues.join('; ')}${more}. Reload the editor, or rebuild the meter from a saved version.`)],
      schemas: {},
      graph: null,
      configs: new Map(),
      edges: [],
      order: [],
      known: new Set(),
    };
  }
  const graph = parsed.data;
  const { index, problems } = indexGraph(graph);
  const cycles = cyclesOf(index);
  problems.push(...structureProblems(index, cycles));

  const configs = new Map<string, unknown>();
  const keys = new Map<string, string>();
  const refs: { node: MeterNode; ref: StoreRef }[] = [];
  for (const node of graph.nodes) {
    const spec = specOf(node.kind);
    const key = configKey(node);
    const result = parseNodeConfig(node, key);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    configs.set(node.id, result.config);
    keys.set(node.id, key);
    for (const ref of spec.storeRefs(result.config)) refs.push({ node, ref });
  }
  problems.push(...storeRuleProblems(refs, context));

  const order = topologicalOrder(index, new Set(cycles.flat()));
  const { schemas, known } = checkNodes(index, order, configs, keys, context, problems);
  problems.push(...parallelPathWarnings(index, order), ...aggregateWindowWarnings(index, configs));
  return { problems, schemas, graph, configs, edges: index.edges, order, known };
}

/** Runs each node's kind check against its input, in topological order, and records every node's schemas. */
function checkNodes(index: GraphIndex, order: readonly string[], configs: ReadonlyMap<string, unknown>, keys: ReadonlyMap<string, string>, context: MeterContext, problems: MeterProblem[]) {
  const schemas: Record<string, NodeSchemas> = {};
  const known = new Set<string>();
  for (const id of order) {
    const node = index.nodes.get(id)!;
    const spec = specOf(node.kind);
    const parents = index.incoming.get(id)!.map((e) => e.source);
    const isSource = categoryOf(node.kind) === 'source';
    const inputKnown = isSource || (parents.length > 0 && parents.every((p) => known.has(p)));
    const input = isSource ? NO_INPUT : inputKnown ? mergeInputs(parents.map((p) => schemas[p]!.output)) : emptyFlowSchema();
    if (!configs.has(id)) {
      schemas[id] = { input, output: emptyFlowSchema() };
      continue;
    }
    const config = configs.get(id);
    if (!inputKnown) {
      problems.push(...missingStores(node, spec.storeRefs(config), context));
      schemas[id] = { input, output: emptyFlowSchema() };
      continue;
    }
    const checked = checkNode(node, keys.get(id)!, config, input, context);
    problems.push(...checked.problems);
    schemas[id] = { input, output: checked.output };
    // A source without its store or fields says nothing about its records: what follows is not checked against it.
    if (!(isSource && hasErrors(checked.problems))) known.add(id);
  }
  for (const id of index.nodes.keys()) schemas[id] ??= { input: emptyFlowSchema(), output: emptyFlowSchema() };
  return { schemas, known };
}

function missingStores(node: MeterNode, refs: StoreRef[], context: MeterContext): MeterProblem[] {
  return refs
    .filter((r) => !context.stores.has(r.storeId))
    .map(() => nodeError(node, 'STORE_NOT_FOUND', `${nodeName(node)}: its event store no longer exists (or belongs to another workspace). Choose another store.`, ['storeId']));
}

/** analyzeMeter's problems alone: what the save and run actions check. */
export function validateMeter(graph: unknown, context: MeterContext): MeterProblem[] {
  return analyzeMeter(graph, context).problems;
}
