import { NextResponse } from 'next/server';
import { apiRoute, readJson } from '@/lib/api/api-route';
import { readCappedForm } from '@/lib/api/read-form';
import { AppError, notFound } from '@/lib/errors';
import { getRunView, listRuns } from '@/lib/runs/read-runs';
import { MAX_RUN_FILE_BYTES } from '@/lib/runs/run-shape';
import { startRun } from '@/lib/runs/start-run';
import { fileOfForm, startRunFormSchema } from '@/lib/runs/start-run-form';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/runs: starts a run of a meter version over a scope. JSON body (StartRunInput), or
 * multipart/form-data with a `file` for a File-upload meter. The idempotency key may come in the body or
 * the `Idempotency-Key` header. 201 with the new run; 200 with the run this key started before.
 */
export const POST = apiRoute({ scope: 'runs:write', permission: 'meter.run' }, async (request, scope) => {
  const multipart = request.headers.get('content-type')?.startsWith('multipart/form-data') ?? false;
  const body = multipart ? await readForm(request) : await readJson(request);
  const headerKey = request.headers.get('idempotency-key');
  const withKey = body && typeof body === 'object' && headerKey && !('idempotencyKey' in body) ? { ...body, idempotencyKey: headerKey } : body;
  const { file, ...input } = startRunFormSchema.parse(withKey);
  const started = await startRun(scope, input, await fileOfForm(file));
  const run = await getRunView(scope.workspaceId, started.runId);
  if (!run) throw notFound('The run');
  return NextResponse.json({ run }, { status: started.existing ? 200 : 201 });
});

// The file plus the few small fields beside it (meter id, scope, flags, key) and the multipart framing.
const MAX_RUN_FORM_BYTES = MAX_RUN_FILE_BYTES + 64 * 1024;

/** The multipart body's fields, read with a hard cap (route handlers skip the proxy, so nothing else caps it). */
async function readForm(request: Request): Promise<Record<string, unknown>> {
  const tooLarge = () =>
    new AppError('PAYLOAD_TOO_LARGE', `A run takes files of up to ${MAX_RUN_FILE_BYTES / 1024 / 1024} MB; this request is larger. Split the file, or load it into an Event Store and run over that.`, {
      status: 413,
      fieldErrors: { file: ['Larger than the limit.'] },
    });
  const form = await readCappedForm(request, MAX_RUN_FORM_BYTES, tooLarge);
  return Object.fromEntries(form.entries());
}

/** GET /api/v1/runs?meterId=&limit=&before=: the workspace's runs, newest first, in keyset pages. */
export const GET = apiRoute({ scope: 'runs:read', permission: 'workspace.read' }, async (request, scope) => {
  const params = new URL(request.url).searchParams;
  const limit = params.get('limit');
  if (limit !== null && (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 200)) {
    throw new AppError('INVALID_INPUT', 'limit is a whole number from 1 to 200.', { status: 400, fieldErrors: { limit: ['A whole number from 1 to 200.'] } });
  }
  return listRuns(scope.workspaceId, {
    meterId: params.get('meterId') ?? undefined,
    limit: limit === null ? undefined : Number(limit),
    before: params.get('before') ?? undefined,
  });
});
