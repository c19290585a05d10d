import { formatCount } from '@/components/ui/format';
import { formatLocalDateTime } from '@/lib/time/date-time-range';
import type { RunEstimate, RunProgress, RunScope, RunStatus, RunView } from '@/lib/runs/types';

/**
 * The words and numbers the Run dialog, the run page and the runs lists show, as pure functions (tested without
 * a browser), so the three places never say the same thing differently.
 */

export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** "1,234 events" when counted, "about 1.2M events (PostgreSQL's estimate)" from the planner, null when unknown. */
export function describeEstimatedEvents(estimate: Pick<RunEstimate, 'events' | 'kind'>): string | null {
  if (estimate.kind === 'unknown') return null;
  const noun = estimate.events === 1 ? 'event' : 'events';
  if (estimate.kind === 'exact') return `${formatCount(estimate.events)} ${noun}`;
  return `about ${compact.format(estimate.events)} ${noun} (PostgreSQL's estimate)`;
}

/** "about 40 s at the 35,000 events/s measured here", or "no run measured yet" before the first completed run. */
export function describeEstimatedTime(estimate: Pick<RunEstimate, 'eventsPerSecond' | 'seconds'>): string {
  if (estimate.eventsPerSecond === null || estimate.seconds === null) return 'no run measured yet';
  return `about ${formatDuration(estimate.seconds)} at the ${formatCount(Math.round(estimate.eventsPerSecond))} events/s measured here`;
}

/** "under 1 s", "40 s", "3 min 20 s", "2 h 5 min": two units at most, whole numbers. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 1) return 'under 1 s';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

/** "All time", "2026-11-01 00:00 to 2026-11-08 00:00 (Europe/Berlin)", "File usage.csv", "Live (HTTP ingest)". */
export function describeScope(scope: RunScope): string {
  switch (scope.kind) {
    case 'all':
      return 'All time';
    case 'frame': {
      const zone = scope.timeZone || 'UTC';
      return `${formatLocalDateTime(new Date(scope.from), zone)} to ${formatLocalDateTime(new Date(scope.to), zone)} (${zone})`;
    }
    case 'file':
      return `File ${scope.fileName}`;
    case 'live':
      return 'Live (HTTP ingest)';
  }
}

/** Events a run's targets wrote (inserted + replaced, or sent for webhooks). Dry runs write nothing. */
export function writtenCount(progress: RunProgress): number {
  return Object.values(progress.targets).reduce((sum, t) => sum + t.inserted + t.replaced + t.sent, 0);
}

export interface RunMetrics {
  /** Seconds since it started (to its end once final); null while queued. */
  elapsed: number | null;
  /** Source events read per second so far; null before a second has passed. */
  throughput: number | null;
  /** Seconds left at the current throughput, while running against a known estimate. */
  eta: number | null;
  /** Read / estimated events, 0..1, or null without an estimate. */
  fraction: number | null;
}

/** Elapsed time, throughput, time left and share done, from a run and the current time. */
export function runMetrics(run: Pick<RunView, 'status' | 'startedAt' | 'finishedAt' | 'estimate' | 'progress'>, now: Date): RunMetrics {
  const started = run.startedAt ? Date.parse(run.startedAt) : null;
  const ended = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
  const elapsed = started === null ? null : Math.max(0, (ended - started) / 1000);
  const read = run.progress.read;
  const throughput = elapsed !== null && elapsed >= 1 ? read / elapsed : null;
  const total = run.estimate && run.estimate.kind !== 'unknown' && run.estimate.events > 0 ? run.estimate.events : null;
  const fraction = total === null ? null : Math.min(1, read / total);
  const eta = run.status === 'running' && total !== null && throughput ? Math.max(0, total - read) / throughput : null;
  return { elapsed, throughput, eta, fraction };
}
