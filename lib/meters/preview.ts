import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { MeterGraph } from '@/lib/meters/graph';
import type { MeterContext, RejectedRecord } from '@/lib/meters/kind-spec';
import { specOf } from '@/lib/meters/kinds';
import { nodeName } from '@/lib/meters/kinds/labels';
import type { MeterProblem } from '@/lib/meters/problems';
import { analyzeMeter, type MeterAnalysis } from '@/lib/meters/validate';

export interface NodePreview {
  /** Records that entered the node (for a source: the sample's records). */
  in: number;
  /** Records that left it (for a target: what would be written). */
  out: number;
  /** Records the node let go on purpose (a Filter's false, a Deduplicate's repeats); 0 for an Aggregate, which combines. */
  dropped: number;
  /** Records refused with a reason (a missing time, a value that does not fit the store). */
  rejected: number;
  /** The first ROW_LIMIT records leaving the node. */
  rows: FlowRecord[];
  /** The first REJECTION_LIMIT rejections. */
  rejections: RejectedRecord[];
}

export interface MeterPreview {
  /** Only nodes that ran: a node with an error of its own, or after one, has no entry. */
  nodes: Record<string, NodePreview>;
  edges: Record<string, { count: number }>;
  problems: MeterProblem[];
}

export interface PreviewOptions {
  /** Records taken from each source's sample (the rest are ignored). */
  maxSamples?: number;
  /** An analysis of the same graph already made (the canvas has one), to save doing it again. */
  analysis?: MeterAnalysis;
}

export const PREVIEW_SAMPLE_LIMIT = 1_000;
export const ROW_LIMIT = 100;
export const REJECTION_LIMIT = 20;

/** Errors that concern the node itself: it cannot run, and neither can anything after it. */
const NODE_ERRORS = new Set(['CONFIG_INVALID', 'EXPRESSION', 'STORE_NOT_FOUND', 'MAPPING_INCOMPLETE', 'MAPPING_TYPE', 'EVENT_TIME_UNMAPPED']);
const COMBINING_KINDS = new Set(['processor.aggregate']);

/**
 * Runs a meter on samples with the processors runs use (each kind's createProcessor), in topological
 * order, every node's whole input at once: sources read `samples[sourceNodeId]` (up to 1,000 records each),
 * each other node gets its inputs' outputs one after the other. Counts per node and edge, the first rows
 * and rejections per node. Nodes with errors of their own (config, expressions, store, mapping) are
 * skipped, and so are the nodes after them; the rest still previews. Writes nothing anywhere.
 */
export function previewMeter(graph: MeterGraph | unknown, context: MeterContext, samples: Record<string, FlowRecord[]>, options: PreviewOptions = {}): MeterPreview {
  const analysis = options.analysis ?? analyzeMeter(graph, context);
  const preview: MeterPreview = { nodes: {}, edges: {}, problems: [...analysis.problems] };
  if (!analysis.graph) return preview;
  const broken = new Set<string>();
  for (const p of analysis.problems) if (p.severity === 'error' && NODE_ERRORS.has(p.code)) p.nodeIds.forEach((id) => broken.add(id));
  const byId = new Map(analysis.graph.nodes.map((n) => [n.id, n]));
  const parentsOf = new Map<string, string[]>();
  for (const edge of analysis.edges) (parentsOf.get(edge.target) ?? parentsOf.set(edge.target, []).get(edge.target)!).push(edge.source);
  const outputs = new Map<string, FlowRecord[]>();
  const limit = options.maxSamples ?? PREVIEW_SAMPLE_LIMIT;

  for (const id of analysis.order) {
    const node = byId.get(id)!;
    const spec = specOf(node.kind);
    const parents = spec.inputs === 0 ? [] : (parentsOf.get(id) ?? []);
    if (broken.has(id) || !analysis.known.has(id) || !spec.createProcessor) continue;
    if (spec.inputs === 1 && (parents.length === 0 || parents.some((p) => !outputs.has(p)))) continue;
    const sample = Object.hasOwn(samples, id) && Array.isArray(samples[id]) ? samples[id]!.slice(0, limit) : [];
    const input = spec.inputs === 0 ? sample : parents.flatMap((p) => outputs.get(p)!);
    try {
      const processor = spec.createProcessor(analysis.configs.get(id), analysis.schemas[id]!.input, context);
      const pushed = processor.push(input);
      const flushed = processor.flush();
      const records = [...pushed.records, ...flushed.records];
      const rejected = [...pushed.rejected, ...flushed.rejected];
      outputs.set(id, records);
      preview.nodes[id] = {
        in: input.length,
        out: records.length,
        dropped: COMBINING_KINDS.has(node.kind) ? 0 : Math.max(0, input.length - records.length - rejected.length),
        rejected: rejected.length,
        rows: records.slice(0, ROW_LIMIT),
        rejections: rejected.slice(0, REJECTION_LIMIT),
      };
    } catch (error) {
      preview.problems.push({
        code: 'PREVIEW_FAILED',
        severity: 'error',
        nodeIds: [id],
        edgeIds: [],
        message: `${nodeName(node)} failed on the sample: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  for (const edge of analysis.edges) {
    const out = outputs.get(edge.source);
    if (out) preview.edges[edge.id] = { count: out.length };
  }
  return preview;
}
