import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { ProcessorOutput } from '@/lib/meters/kind-spec';
import type { CompiledPipeline } from '@/lib/pipeline/compile-pipeline';
import type { RunTally } from '@/lib/pipeline/run-tally';
import type { RecordError } from '@/lib/runs/types';

/** What one batch produced: each target's records to write, and the records any node refused. */
export interface BatchResult {
  toWrite: Map<string, FlowRecord[]>;
  errors: RecordError[];
}

const EMPTY: FlowRecord[] = [];

/**
 * Takes one batch through the compiled nodes in topological order: each source node gets its own records
 * from `inputs`, every other node its parents' outputs of this batch, one after the other. With `flush`
 * (the end of the run) every node is also flushed after its push, in the same order, so what a stateful
 * node releases at the end still goes through everything after it. Counts go to `tally` as they happen.
 */
export function processBatch(pipeline: CompiledPipeline, inputs: ReadonlyMap<string, FlowRecord[]>, tally: RunTally, flush = false): BatchResult {
  const outputs = new Map<string, FlowRecord[]>();
  const result: BatchResult = { toWrite: new Map(), errors: [] };
  for (const node of pipeline.nodes) {
    const input = node.category === 'source' ? (inputs.get(node.id) ?? EMPTY) : gather(node.parents, outputs);
    let output: ProcessorOutput = input.length ? node.processor.push(input) : { records: EMPTY, rejected: [] };
    if (flush) output = concat(output, node.processor.flush());
    outputs.set(node.id, output.records);
    tally.countNode(node.id, input.length, output.records.length, output.rejected.length, node.outEdges);
    if (node.combining) for (const record of output.records) if (record.partial === true) tally.partialWindows++;
    for (const { record, reason } of output.rejected) result.errors.push({ nodeId: node.id, reason, record });
    if (node.category === 'target' && output.records.length) result.toWrite.set(node.id, output.records);
  }
  return result;
}

/** Records per slice of processBatchInSlices. */
export const PROCESS_SLICE = 100;

/**
 * processBatch over a batch in slices of `slice` records per source node, letting the event loop run between
 * slices, with the slices' results joined in order (each target's records, the errors). The outcome is the
 * one of smaller source pages; the point is the time between: processing a batch is synchronous, and without
 * these pauses the write of the batch before (its BEGIN, fence and COPY data) and the source's next page
 * could not move while it runs, so the database would wait on the engine instead of working beside it.
 */
export async function processBatchInSlices(pipeline: CompiledPipeline, inputs: ReadonlyMap<string, FlowRecord[]>, tally: RunTally, slice = PROCESS_SLICE): Promise<BatchResult> {
  const longest = Math.max(0, ...[...inputs.values()].map((records) => records.length));
  if (longest <= slice) return processBatch(pipeline, inputs, tally);
  const result: BatchResult = { toWrite: new Map(), errors: [] };
  for (let start = 0; start < longest; start += slice) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    const part = new Map([...inputs].map(([id, records]) => [id, records.slice(start, start + slice)]));
    const partial = processBatch(pipeline, part, tally);
    for (const [id, records] of partial.toWrite) {
      const kept = result.toWrite.get(id);
      if (kept) kept.push(...records);
      else result.toWrite.set(id, [...records]);
    }
    result.errors.push(...partial.errors);
  }
  return result;
}

/** A node's input: its parents' outputs in edge order (one array when it has one parent, no copy). */
function gather(parents: readonly string[], outputs: ReadonlyMap<string, FlowRecord[]>): FlowRecord[] {
  if (parents.length === 1) return outputs.get(parents[0]!) ?? EMPTY;
  return parents.flatMap((p) => outputs.get(p) ?? EMPTY);
}

function concat(a: ProcessorOutput, b: ProcessorOutput): ProcessorOutput {
  if (!b.records.length && !b.rejected.length) return a;
  return { records: [...a.records, ...b.records], rejected: [...a.rejected, ...b.rejected] };
}
