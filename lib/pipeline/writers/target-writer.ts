import type { MeterNode } from '@/lib/meters/graph';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { DryRunChange, TargetCounts } from '@/lib/runs/types';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';

/**
 * One target node's writer for one run. The engine hands it the target processor's output (records already
 * shaped to the target: an Event Store's definition, a usage record, a webhook body) one batch at a time and
 * awaits each write before the next, so at most one write is in flight per target and memory stays bounded.
 *
 * - `write` writes (or, in a dry run, compares) one batch and returns what that batch did; the engine sums.
 *   A lost lease surfaces as the AppError LEASE_LOST from the fenced write: the engine stops, writes nothing more.
 * - `samples` (dry runs): up to 20 example changes for the report; [] in a real run.
 * - `close` flushes and releases whatever the writer holds (a client, a buffer); called once, also after a failure.
 */
export interface TargetWriter {
  write(records: FlowRecord[]): Promise<TargetCounts>;
  samples(): DryRunChange[];
  close(): Promise<void>;
}

export type TargetWriterFactory = (node: MeterNode, run: PipelineRun, deps: PipelineDeps) => TargetWriter;

/** Counts of a write that did nothing; writers start from it. */
export const zeroTargetCounts = (): TargetCounts => ({ inserted: 0, replaced: 0, unchanged: 0, sent: 0 });
