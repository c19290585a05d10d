import { useId } from 'react';
import { formatCount } from '@/components/ui/format';
import type { RunView } from '@/lib/runs/types';
import { runMetrics } from './run-format';

/**
 * Source events read against the estimate, as a labelled progress bar with the numbers beside it. Without an
 * estimate (a file, a live source) the bar is indeterminate until the run ends.
 */
export function RunProgressBar({ run, now }: { run: Pick<RunView, 'status' | 'startedAt' | 'finishedAt' | 'estimate' | 'progress'>; now: Date }) {
  const id = useId();
  const { fraction } = runMetrics(run, now);
  const read = run.progress.read;
  const done = run.status === 'completed';
  const total = run.estimate && run.estimate.kind !== 'unknown' ? run.estimate.events : null;
  return (
    <div className="run-progress">
      <label htmlFor={id}>Progress</label>
      {done ? (
        <progress id={id} max={1} value={1} />
      ) : fraction === null ? (
        <progress id={id} />
      ) : (
        <progress id={id} max={1} value={fraction} />
      )}
      <p className="small">
        {formatCount(read)} {total === null ? 'events read' : `of ${run.estimate?.kind === 'planner' ? 'about ' : ''}${formatCount(total)} events read`}
        {fraction !== null && !done ? ` (${Math.floor(fraction * 100)}%)` : ''}
      </p>
    </div>
  );
}
