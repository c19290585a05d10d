import type pg from 'pg';
import type { Lease } from '@/lib/event-store/store-status';
import type { MeterGraph } from '@/lib/meters/graph';
import type { MeterContext } from '@/lib/meters/kind-spec';
import type { DryRunReport, RecordError, RecordErrorPolicy, RunProgress, RunScope } from '@/lib/runs/types';

/** Everything the engine needs to execute one run; the worker (lib/runs) builds it from meter_runs. */
export interface PipelineRun {
  id: string;
  workspaceId: string;
  meterId: string;
  /** The graph of the run's meter version, already valid (the run action validated it). */
  graph: MeterGraph;
  context: MeterContext;
  scope: RunScope;
  dryRun: boolean;
  errorPolicy: RecordErrorPolicy;
}

export interface PipelineDeps {
  /** A work pool (getWorkPool(): no statement timeout). */
  pool: pg.Pool;
  /** The lease held on each target store (storeId → lease); empty in a dry run. Every write passes it. */
  leases: ReadonlyMap<string, Lease>;
  /** Aborted on cancel or on a lost lease: the engine stops between batches and throws signal.reason. */
  signal: AbortSignal;
  /** After each batch (the caller throttles persisting). */
  onProgress: (progress: RunProgress) => void | Promise<void>;
  /** Record errors of a batch, to keep (the first MAX_KEPT_RECORD_ERRORS) and count. */
  onRecordErrors: (errors: RecordError[]) => void | Promise<void>;
  /** A File-upload source's bytes (scope kind 'file'). */
  file?: { name: string; content: Buffer };
}

export interface PipelineOutcome {
  progress: RunProgress;
  /** Dry runs only. */
  report: DryRunReport | null;
}
