import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { MeterNode } from '@/lib/meters/graph';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';
import type { DryRunChange, TargetCounts } from '@/lib/runs/types';

/**
 * Where a target node's records go. The engine makes one per target node per run and calls write() once per
 * batch with the target processor's output, then close() however the run ends.
 */
export interface TargetWriter {
  write(records: FlowRecord[]): Promise<TargetCounts>;
  /** Dry runs: up to 20 sample changes; real writers answer []. */
  samples(): DryRunChange[];
  close(): Promise<void>;
}

export type TargetWriterFactory = (node: MeterNode, run: PipelineRun, deps: PipelineDeps) => TargetWriter;
