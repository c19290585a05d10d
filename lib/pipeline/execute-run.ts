import { AppError, isAppError } from '@/lib/errors';
import type { MeterContext } from '@/lib/meters/kind-spec';
import { nodeName } from '@/lib/meters/kinds';
import { compilePipeline, type CompiledPipeline } from '@/lib/pipeline/compile-pipeline';
import { processBatch, processBatchInSlices, type BatchResult } from '@/lib/pipeline/process-batch';
import { RunTally } from '@/lib/pipeline/run-tally';
import { settle, unwrap, type Settled } from '@/lib/pipeline/settle';
import { openSource, type SourceOptions } from '@/lib/pipeline/sources/open-source';
import type { SourceBatch } from '@/lib/pipeline/sources/source-batch';
import type { PipelineDeps, PipelineOutcome, PipelineRun } from '@/lib/pipeline/types';
import { createTargetWriter } from '@/lib/pipeline/writers';
import type { TargetWriter } from '@/lib/pipeline/writers/target-writer';
import type { DryRunReport, RecordError } from '@/lib/runs/types';

/** Knobs for tests and the bench; the worker passes none. */
export type ExecuteOptions = SourceOptions;

/**
 * Executes one run: the scope's source, batch by batch, through the meter's compiled processors (the
 * registry's, as preview uses) into the target writers, then a final flush of the stateful nodes.
 *
 * Three stages overlap: the source fetches its next page while a batch is processed, and the batch before
 * is written meanwhile; each target has at most one write in flight, awaited before the next begins, so
 * memory holds about three batches whatever the scope. After each batch the counts go to `onProgress`
 * and refused records to `onRecordErrors`; with the `stop` policy the first refused record ends the run
 * (RECORD_ERROR) before its batch is written. Between batches the run stops on `signal`: cancel or a lost
 * lease throw its reason, except in a live run, where an abort means "stopped" and the run finishes
 * normally (a lost lease still throws). A write refused for a lost lease (LEASE_LOST) fails the run at
 * once, and nothing more is written.
 */
export async function executeRun(run: PipelineRun, deps: PipelineDeps, options: ExecuteOptions = {}): Promise<PipelineOutcome> {
  const pipeline = compilePipeline(run.graph, contextOfRun(run));
  const tally = new RunTally(pipeline);
  const writers = new Map<string, TargetWriter>();
  const live = run.scope.kind === 'live';
  let inFlight: Promise<Settled<void>> | null = null;
  // A failed write also stops the source: a live source waiting for records would otherwise never notice.
  const writeFailed = new AbortController();
  const sourceDeps = { ...deps, signal: AbortSignal.any([deps.signal, writeFailed.signal]) };
  const stopOnAbort = () => {
    if (!live || isLeaseLoss(deps.signal.reason)) deps.signal.throwIfAborted();
  };
  try {
    for (const node of pipeline.nodes) if (node.category === 'target') writers.set(node.id, createTargetWriter(node.node, run, deps));
    for await (const batch of openSource(run, pipeline, sourceDeps, options)) {
      stopOnAbort();
      tally.read += batch.read;
      const result = await processBatchInSlices(pipeline, batch.records, tally);
      await keepErrors(run, pipeline, deps, [...unreadableOf(batch), ...result.errors]);
      if (inFlight) unwrap(await inFlight);
      await deps.onProgress(tally.snapshot());
      stopOnAbort();
      inFlight = settle(writeBatch(writers, result, tally).then(() => batch.written?.())).then((outcome) => {
        if ('error' in outcome) writeFailed.abort(outcome.error);
        return outcome;
      });
    }
    if (inFlight) unwrap(await inFlight);
    inFlight = null;
    stopOnAbort();
    const last = processBatch(pipeline, new Map(), tally, true);
    await keepErrors(run, pipeline, deps, last.errors);
    await writeBatch(writers, last, tally);
    const progress = tally.snapshot();
    await deps.onProgress(progress);
    return { progress, report: run.dryRun ? dryRunReport(pipeline, writers, tally) : null };
  } finally {
    if (inFlight) await inFlight;
    await Promise.allSettled([...writers.values()].map((w) => w.close()));
  }
}

/** A frame run tells the processors its bounds, so an Aggregate can mark the windows the frame cuts as partial. */
function contextOfRun(run: PipelineRun): MeterContext {
  const { scope } = run;
  if (scope.kind === 'frame') return { ...run.context, scope: { from: scope.from, to: scope.to } };
  if (scope.kind === 'all') return { ...run.context, scope: { from: null, to: null } };
  return run.context;
}

const isLeaseLoss = (reason: unknown) => isAppError(reason) && reason.code === 'LEASE_LOST';

function unreadableOf(batch: SourceBatch): RecordError[] {
  return (batch.unreadable ?? []).map(({ nodeId, reason, record }) => ({ nodeId, reason, record }));
}

/** Hands a batch's refused records to the caller; under the `stop` policy the first one ends the run. */
async function keepErrors(run: PipelineRun, pipeline: CompiledPipeline, deps: PipelineDeps, errors: RecordError[]): Promise<void> {
  if (!errors.length) return;
  await deps.onRecordErrors(errors);
  if (run.errorPolicy !== 'stop') return;
  const first = errors[0]!;
  const node = pipeline.byId.get(first.nodeId)?.node;
  const who = node ? nodeName(node) : `Node ${first.nodeId}`;
  throw new AppError('RECORD_ERROR', `${who} refused a record: ${first.reason} The run stops at the first refused record (its error policy is “stop”); fix the record or run with “skip”.`, {
    status: 422,
    details: { nodeId: first.nodeId, reason: first.reason },
  });
}

/**
 * Writes each target's records of a batch, the targets side by side; counts what each write did. Waits for
 * every target's write to settle before failing, so no write is still running when the writers close.
 */
async function writeBatch(writers: ReadonlyMap<string, TargetWriter>, result: BatchResult, tally: RunTally): Promise<void> {
  const outcomes = await Promise.allSettled(
    [...result.toWrite].map(async ([id, records]) => {
      tally.countTarget(id, await writers.get(id)!.write(records));
    }),
  );
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
}

function dryRunReport(pipeline: CompiledPipeline, writers: ReadonlyMap<string, TargetWriter>, tally: RunTally): DryRunReport {
  const report: DryRunReport = { targets: {} };
  for (const [id, writer] of writers) {
    report.targets[id] = { name: nodeName(pipeline.byId.get(id)!.node), ...tally.targetCounts(id), samples: writer.samples() };
  }
  return report;
}
