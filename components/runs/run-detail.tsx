'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { cancelRunAction } from '@/app/(console)/runs/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { DateTime } from '@/components/ui/date-time';
import { formatCount } from '@/components/ui/format';
import type { RunView } from '@/lib/runs/types';
import { DryRunReportView } from './dry-run-report';
import { RunNodeTable, RunTargetTable, type RunNodeInfo } from './run-counts-tables';
import { describeScope, formatDuration, runMetrics } from './run-format';
import { RunProgressBar } from './run-progress-bar';
import { RunStatusBadge } from './run-status-badge';
import { isFinal, POLL_MS, useRunView } from './use-run-view';

/** The current time, ticking once a second while the run goes (elapsed and ETA move between polls too). */
function useNow(renderedAt: string, ticking: boolean): Date {
  const [now, setNow] = useState(() => new Date(renderedAt));
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(new Date()), POLL_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/**
 * The run page's body: status, scope, who and when, elapsed, throughput, ETA and progress against the estimate,
 * counts per node and per target, record errors with their CSV, the failure, and Cancel. It polls the run once a
 * second until it is final, so it updates without a reload.
 */
export function RunDetail({ initial, nodes, renderedAt, canCancel }: { initial: RunView; nodes: RunNodeInfo[]; renderedAt: string; canCancel: boolean }) {
  const { run: polled, refreshError } = useRunView(initial.id, initial);
  const run = polled ?? initial;
  const final = isFinal(run);
  const now = useNow(renderedAt, !final);
  const { elapsed, throughput, eta } = runMetrics(run, now);
  const names = new Map<string, string>([...nodes.map((n) => [n.id, n.name] as const), ...run.targets.map((t) => [t.storeId, t.storeName] as const)]);
  const live = run.scope.kind === 'live';

  return (
    <>
      <section className="card" aria-labelledby="run-summary-title">
        <h2 id="run-summary-title" className="sr-only">
          Summary
        </h2>
        <dl className="stats run-stats">
          <div>
            <dt>Status</dt>
            <dd className="small" data-testid="run-status">
              <RunStatusBadge status={run.status} dryRun={run.dryRun} />
            </dd>
          </div>
          <div>
            <dt>Scope</dt>
            <dd className="small">{describeScope(run.scope)}</dd>
          </div>
          <div>
            <dt>Meter version</dt>
            <dd className="small">
              <Link href={`/meters/${run.meterId}`}>
                {run.meterName}, version {run.meterVersion}
              </Link>
            </dd>
          </div>
          <div>
            <dt>Started by</dt>
            <dd className="small">{run.createdBy}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd className="small">{run.startedAt ? <DateTime value={new Date(run.startedAt)} withSeconds /> : `Queued at ${new Date(run.createdAt).toISOString().slice(11, 19)} UTC`}</dd>
          </div>
          <div>
            <dt>Elapsed</dt>
            <dd className="small">{elapsed === null ? '—' : formatDuration(elapsed)}</dd>
          </div>
          <div>
            <dt>Throughput</dt>
            <dd className="small">{throughput === null ? '—' : `${formatCount(Math.round(throughput))} events/s`}</dd>
          </div>
          <div>
            <dt>{final ? 'Finished' : 'Time left'}</dt>
            <dd className="small">{final ? <DateTime value={run.finishedAt ? new Date(run.finishedAt) : null} withSeconds /> : eta === null ? '—' : `about ${formatDuration(eta)}`}</dd>
          </div>
        </dl>
        <RunProgressBar run={run} now={now} />
        {run.status === 'failed' ? (
          <p role="alert" className="form-status error">
            {run.failure ?? 'The run failed.'}
          </p>
        ) : null}
        {run.cancelRequested && !final ? <p role="status">{live ? 'Stopping' : 'Cancel requested'}: the run stops after its current batch.</p> : null}
        {refreshError ? <p className="field-error">Could not refresh: {refreshError} Retrying every second.</p> : null}
        {canCancel && !final && !run.cancelRequested ? (
          <ConfirmActionButton
            action={cancelRunAction}
            id={run.id}
            field="runId"
            start={{ text: live ? 'Stop' : 'Cancel run', label: live ? 'Stop run' : 'Cancel run' }}
            question={live ? 'Stop taking events? What arrived so far is processed first.' : 'Cancel this run? It stops between batches; what it already wrote stays, and running it again completes it.'}
            confirm={{ text: live ? 'Stop' : 'Cancel run', pending: live ? 'Stopping…' : 'Cancelling…', label: live ? 'Confirm stop' : 'Confirm cancel' }}
            success={live ? 'Stopping the run' : 'Cancelling the run'}
          />
        ) : null}
      </section>
      <section className="card" aria-labelledby="run-nodes-title">
        <h2 id="run-nodes-title">Per node</h2>
        <RunNodeTable nodes={nodes} progress={run.progress} />
        {run.progress.partialWindows > 0 ? (
          <p className="small">
            {formatCount(run.progress.partialWindows)} aggregate window{run.progress.partialWindows === 1 ? ' was' : 's were'} cut by the scope and marked partial.
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="run-targets-title">
        <h2 id="run-targets-title">{run.dryRun ? 'What a run would write' : 'Written'}</h2>
        {run.dryRun && run.report ? <DryRunReportView report={run.report} /> : <RunTargetTable run={run} nameOf={(key) => names.get(key) ?? key} />}
      </section>
      <section className="card" aria-labelledby="run-errors-title">
        <h2 id="run-errors-title">Record errors</h2>
        {run.errorCount === 0 ? (
          <p className="muted">No record was refused.</p>
        ) : (
          <p>
            {formatCount(run.errorCount)} record{run.errorCount === 1 ? ' was' : 's were'} refused ({run.errorPolicy === 'skip' ? 'skipped and counted' : 'the run stops at the first'}).{' '}
            <a href={`/api/v1/runs/${run.id}/errors`} download>
              Download record errors (CSV)
            </a>
          </p>
        )}
      </section>
    </>
  );
}
