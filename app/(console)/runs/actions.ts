'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { cancelRun } from '@/lib/runs/cancel-run';
import { estimateRun } from '@/lib/runs/estimate';
import { startRun } from '@/lib/runs/start-run';
import { fileOfForm, meterIdField, scopeField, startRunFormSchema, versionField } from '@/lib/runs/start-run-form';

/** Runs change the meter list's "last run", the stores' status and the runs pages. */
function revalidateRunPages() {
  revalidatePath('/runs');
  revalidatePath('/meters');
  revalidatePath('/event-stores');
}

/** Reading only: anyone who can read the workspace may see what a run would read. */
export const estimateRunAction = defineAction({
  name: 'run.estimate',
  input: z.object({ meterId: meterIdField, version: versionField, scope: scopeField }),
  authorize: requirePermission('workspace.read'),
  run: (input, context) => estimateRun(context.workspaceId, input),
});

/** An object (StartRunInput) or the Run dialog's FormData (scope as JSON text, the file beside it). */
export const startRunAction = defineAction({
  name: 'run.start',
  input: startRunFormSchema,
  authorize: requirePermission('meter.run'),
  run: async ({ file, ...input }, context) => {
    const started = await startRun(context, input, await fileOfForm(file));
    revalidateRunPages();
    return started;
  },
});

export const cancelRunAction = defineAction({
  name: 'run.cancel',
  input: z.object({ runId: z.uuid({ error: 'Say which run.' }) }),
  authorize: requirePermission('meter.run'),
  run: async (input, context) => {
    const result = await cancelRun(context, input.runId);
    revalidateRunPages();
    return result;
  },
});
