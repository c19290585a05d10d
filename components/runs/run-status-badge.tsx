import type { RunStatus } from '@/lib/runs/types';
import { STATUS_LABELS } from './run-format';

const TONES: Record<RunStatus, string> = {
  queued: 'status-orphan',
  running: 'status-writing',
  completed: 'status-idle',
  failed: 'status-deleting',
  cancelled: 'status-orphan',
};

/** A run's status as a badge; a dry run says so beside it (it wrote nothing). */
export function RunStatusBadge({ status, dryRun = false }: { status: RunStatus; dryRun?: boolean }) {
  return (
    <span className="icon-text">
      <span className={`badge ${TONES[status]}`}>{STATUS_LABELS[status]}</span>
      {dryRun ? <span className="badge muted-badge">Dry run</span> : null}
    </span>
  );
}
