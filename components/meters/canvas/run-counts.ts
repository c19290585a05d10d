import type { RunProgress, RunStatus, RunView } from '@/lib/runs/types';

/**
 * Counts the canvas can label its nodes and edges with: the sample preview's, or a run's. Both say, per
 * node, what entered it, left it, and was dropped or rejected, and per edge how many records went along it.
 */
export interface FlowCounts {
  nodes: Record<string, { in: number; out: number; dropped: number; rejected: number }>;
  edges: Record<string, { count: number }>;
}

/** A run's progress (RunProgress, written by the worker as it goes) as counts for the canvas. */
export function runCounts(progress: RunProgress): FlowCounts {
  return {
    nodes: progress.nodes,
    edges: Object.fromEntries(Object.entries(progress.edges).map(([id, count]) => [id, { count }])),
  };
}

/** Whether the run's counts may still change (the canvas then polls it once a second). */
export const isLive = (status: RunStatus) => status === 'queued' || status === 'running';

/** The toolbar's name for the run's counts: "Run running", "Run completed"… */
export const runToggleLabel = (run: Pick<RunView, 'status'>) => `Run ${run.status}`;
