'use client';

import Link from 'next/link';
import { DryRunReportView } from './dry-run-report';
import { RunProgressBar } from './run-progress-bar';
import { RunStatusBadge } from './run-status-badge';
import { useRunView } from './use-run-view';

/** A dry run started from the dialog: its progress while it reads, then what a real run would write. */
export function DryRunPanel({ runId }: { runId: string }) {
  const { run, refreshError } = useRunView(runId);
  return (
    <section aria-labelledby="dry-run-title" className="dry-run">
      <h3 id="dry-run-title" className="icon-text">
        Dry run {run ? <RunStatusBadge status={run.status} /> : <span className="muted small">starting…</span>}
      </h3>
      {run ? (
        <>
          {run.status === 'completed' && run.report ? (
            <>
              <p className="small">Nothing was written. A run over the same scope would do this:</p>
              <DryRunReportView report={run.report} />
            </>
          ) : (
            <RunProgressBar run={run} now={new Date()} />
          )}
          {run.status === 'failed' ? <p className="field-error">{run.failure ?? 'The dry run failed.'}</p> : null}
          {run.errorCount > 0 ? (
            <p className="small">
              {run.errorCount} record error{run.errorCount === 1 ? '' : 's'}: <Link href={`/runs/${run.id}`}>see the dry run&apos;s page</Link>.
            </p>
          ) : null}
        </>
      ) : null}
      {refreshError ? <p className="field-error">Could not refresh the dry run: {refreshError}</p> : null}
    </section>
  );
}
