import { z } from 'zod';

/**
 * A meter's saved graph: our own small model, not React Flow's state. Nodes have a kind, a config and a
 * position; edges join a node's output port to another node's input port. One zod schema parses it, in
 * the browser (the canvas) and on the server (save, run), so both agree on what a graph is.
 *
 * The config is opaque here (`unknown`): each kind's own schema (see kinds/) parses it, and
 * validateMeter reports a config that does not parse as a problem on that node rather than refusing the
 * whole graph, so the canvas can show a half-configured meter with every problem at its place. Save
 * refuses any graph with an error: a stored version always validates (against the stores of its day).
 */

export const NODE_KINDS = [
  'source.eventStore',
  'source.fileUpload',
  'source.httpIngest',
  'source.businessEvents',
  'processor.filter',
  'processor.map',
  'processor.deduplicate',
  'processor.aggregate',
  'target.eventStore',
  'target.usageRecords',
  'target.webhook',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export type NodeCategory = 'source' | 'processor' | 'target';
export const categoryOf = (kind: NodeKind): NodeCategory => kind.slice(0, kind.indexOf('.')) as NodeCategory;

/** Limits that keep a hostile or careless graph from costing the server: far above any real meter. */
export const MAX_NODES = 500;
export const MAX_EDGES = 1_000;
export const MAX_CONFIG_BYTES = 64 * 1024;
export const MAX_LABEL = 100;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A config's size as JSON; Infinity when it cannot be written (nesting deep enough to exhaust the stack, cycles). */
function configSize(config: unknown): number {
  try {
    return JSON.stringify(config)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

const id = z.string().regex(ID_PATTERN, 'Ids are 1 to 64 letters, digits, "-" or "_".');
const coordinate = z.number().finite().min(-1e6).max(1e6);

export const meterNodeSchema = z.object({
  id,
  kind: z.enum(NODE_KINDS),
  /** A name the user gave the node ("Drop test accounts"); the kind's label when empty. */
  label: z.string().trim().max(MAX_LABEL).default(''),
  position: z.object({ x: coordinate, y: coordinate }),
  config: z.unknown().refine((c) => c === undefined || configSize(c) <= MAX_CONFIG_BYTES, {
    message: `A node's settings may be at most ${MAX_CONFIG_BYTES / 1024} kB, nested at most a few hundred levels deep.`,
  }),
});

/** Every kind has one output port `out` (targets have none) and one input port `in` (sources have none). */
export const meterEdgeSchema = z.object({
  id,
  source: id,
  sourcePort: z.literal('out').default('out'),
  target: id,
  targetPort: z.literal('in').default('in'),
});

export const meterGraphSchema = z
  .object({
    nodes: z.array(meterNodeSchema).max(MAX_NODES, `A meter may have at most ${MAX_NODES} nodes.`),
    edges: z.array(meterEdgeSchema).max(MAX_EDGES, `A meter may have at most ${MAX_EDGES} connections.`),
  })
  .superRefine((graph, ctx) => {
    const seen = new Set<string>();
    graph.nodes.forEach((node, i) => {
      if (seen.has(node.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `Two nodes have the id "${node.id}".` });
      seen.add(node.id);
    });
    const edgeIds = new Set<string>();
    graph.edges.forEach((edge, i) => {
      if (edgeIds.has(edge.id)) ctx.addIssue({ code: 'custom', path: ['edges', i, 'id'], message: `Two connections have the id "${edge.id}".` });
      edgeIds.add(edge.id);
      for (const end of ['source', 'target'] as const) {
        if (!seen.has(edge[end])) ctx.addIssue({ code: 'custom', path: ['edges', i, end], message: `Connection "${edge.id}" refers to a node "${edge[end]}" that is not in the meter.` });
      }
    });
  });

export type MeterNode = z.output<typeof meterNodeSchema>;
export type MeterEdge = z.output<typeof meterEdgeSchema>;
export type MeterGraph = z.output<typeof meterGraphSchema>;
export const emptyGraph = (): MeterGraph => ({ nodes: [], edges: [] });
