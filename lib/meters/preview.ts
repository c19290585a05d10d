// STAND-IN until the model branch lands
import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { MeterGraph } from '@/lib/meters/graph';
import type { MeterContext, RejectedRecord } from '@/lib/meters/kind-spec';
import type { MeterProblem } from '@/lib/meters/problems';
import { validateMeter } from '@/lib/meters/validate';

export interface MeterPreview {
  nodes: Record<string, { in: number; out: number; dropped: number; rejected: number; rows: FlowRecord[]; rejections: RejectedRecord[] }>;
  edges: Record<string, { count: number }>;
  problems: MeterProblem[];
}

/** Stand-in: sources pass their samples on; nothing else runs. */
export function previewMeter(graph: MeterGraph, context: MeterContext, samples: Record<string, FlowRecord[]>, _options?: unknown): MeterPreview {
  const nodes: MeterPreview['nodes'] = {};
  for (const [nodeId, rows] of Object.entries(samples)) nodes[nodeId] = { in: 0, out: rows.length, dropped: 0, rejected: 0, rows: rows.slice(0, 100), rejections: [] };
  return { nodes, edges: {}, problems: validateMeter(graph, context) };
}
