'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { AppError } from '@/lib/errors';
import { meterGraphSchema } from '@/lib/meters/graph';
import { previewMeter } from '@/lib/meters/preview';
import { createMeter, createMeterSchema, loadMeterContext, meterExists, restoreMeterVersion, saveMeterVersion } from '@/lib/meters/repository';
import { loadPreviewSamples, MAX_SAMPLE_BYTES, MAX_SAMPLE_ROWS } from '@/lib/meters/repository/preview-samples';

/** A new version changes the meter list and, through meter_stores, the stores' status. */
function revalidateMeterPages() {
  revalidatePath('/meters');
  revalidatePath('/event-stores');
}

const meterId = z.string().min(1, 'Say which meter.');
const version = z.coerce.number().int().min(0);

export const createMeterAction = defineAction({
  name: 'meter.create',
  input: createMeterSchema,
  authorize: requirePermission('meter.write'),
  run: async (input, context) => {
    const meter = await createMeter(context, input);
    revalidatePath('/meters');
    redirect(`/meters/${meter.id}`);
  },
});

/** The graph is parsed by validateMeter inside the save (GRAPH_INVALID is a problem like the others). */
export const saveMeterAction = defineAction({
  name: 'meter.save',
  input: z.object({ meterId, baseVersion: version, graph: z.unknown() }),
  authorize: requirePermission('meter.write'),
  run: async (input, context) => {
    const saved = await saveMeterVersion(context, input.meterId, input.baseVersion, input.graph);
    revalidateMeterPages();
    return saved;
  },
});

export const restoreMeterVersionAction = defineAction({
  name: 'meter.restore',
  input: z.object({ meterId, version: version.min(1), baseVersion: version }),
  authorize: requirePermission('meter.write'),
  run: async (input, context) => {
    const restored = await restoreMeterVersion(context, input.meterId, input.version, input.baseVersion);
    revalidateMeterPages();
    return restored;
  },
});

const sampleRows = z.array(z.record(z.string(), z.unknown())).max(MAX_SAMPLE_ROWS, `A sample may have at most ${MAX_SAMPLE_ROWS} rows.`);

/** Runs the unsaved graph on a sample; reading only, so anyone who can read the workspace may preview. */
export const previewMeterAction = defineAction({
  name: 'meter.preview',
  input: z.object({
    meterId,
    graph: meterGraphSchema,
    samples: z
      .record(z.string(), sampleRows)
      .refine((s) => JSON.stringify(s).length <= MAX_SAMPLE_BYTES, `The sample rows may weigh at most ${MAX_SAMPLE_BYTES / 1024} kB; send fewer rows.`)
      .optional(),
  }),
  authorize: requirePermission('workspace.read'),
  run: async (input, context) => {
    if (!(await meterExists(context.workspaceId, input.meterId))) throw new AppError('NOT_FOUND', 'That meter was not found.', { status: 404 });
    const meterContext = await loadMeterContext(context.workspaceId);
    const samples = await loadPreviewSamples(context.workspaceId, input.graph, meterContext, input.samples);
    return previewMeter(input.graph, meterContext, samples);
  },
});
