// TEMPORARY: the signatures CONTROL lands on main (brief); deleted at the merge, when the real modules exist.
declare module '@/app/(console)/runs/actions' {
  import type { ActionResult } from '@/lib/actions/action-result';
  import type { RunEstimate, RunScope, StartRunInput } from '@/lib/runs/types';
  export const estimateRunAction: (previous: unknown, input: unknown) => Promise<ActionResult<RunEstimate>>;
  export const startRunAction: (previous: unknown, input: StartRunInput | FormData) => Promise<ActionResult<{ runId: string; existing: boolean }>>;
  export const cancelRunAction: (previous: unknown, input: unknown) => Promise<ActionResult<{ status: string }>>;
  export type { RunScope };
}
declare module '@/lib/runs/read-runs' {
  import type { RunView } from '@/lib/runs/types';
  export function getRunView(workspaceId: string, runId: string): Promise<RunView | null>;
  export function listRuns(workspaceId: string, options: { meterId?: string; limit?: number; before?: string }): Promise<{ runs: RunView[]; next: string | null }>;
}
