import Link from 'next/link';
import { RunStatusBadge } from '@/components/runs/run-status-badge';
import { DateTime } from '@/components/ui/date-time';
import { formatCount } from '@/components/ui/format';
import type { LastRun } from '@/lib/runs/read-runs';

/** "Completed · 3 min ago · 1,200 read, 980 written", linking to the run; "Never run" before the first. */
export function LastRunCell({ run, meterId }: { run: LastRun | null; meterId: string }) {
  if (!run) return <span className="muted">Never run</span>;
  return (
    <div>
      <Link href={`/runs/${run.id}`} aria-label={`Last run: ${run.status}`}>
        <RunStatusBadge status={run.status} />
      </Link>
      <div className="muted small">
        {run.finishedAt ? <DateTime value={new Date(run.finishedAt)} relative /> : 'in progress'} · {formatCount(run.read)} read, {formatCount(run.written)} written
      </div>
      <Link href={`/meters/${meterId}/runs`} className="small">
        History
      </Link>
    </div>
  );
}
