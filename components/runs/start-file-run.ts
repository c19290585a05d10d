import type { ActionResult } from '@/lib/actions/action-result';
import type { MeterProblem } from '@/lib/meters/problems';
import type { RunView } from '@/lib/runs/types';

type StartRunAnswer = { run?: RunView; error?: { message?: string; fieldErrors?: Record<string, string[]>; details?: { problems?: MeterProblem[] } } } | null;

/**
 * Starts a File-upload run by posting the form (fields and file) to `POST /api/v1/runs` with the session,
 * rather than through the server action: actions keep Next's 1 MB body limit, the route streams up to the
 * 50 MB a run takes. Answers in the action's shape, so the dialog shows refusals the same way.
 */
export async function startFileRun(form: FormData, workspaceId: string | undefined): Promise<ActionResult<{ runId: string }>> {
  const response = await fetch('/api/v1/runs', { method: 'POST', body: form, headers: workspaceId ? { 'X-Workspace-Id': workspaceId } : {}, cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as StartRunAnswer;
  if (response.ok && body?.run) return { ok: true, data: { runId: body.run.id } };
  const error = body?.error;
  return {
    ok: false,
    message: error?.message ?? `The server answered ${response.status}; nothing was started.`,
    fieldErrors: error?.fieldErrors ?? {},
    ...(error?.details?.problems ? { problems: error.details.problems } : {}),
  };
}
