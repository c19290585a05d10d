'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { createConnector, deleteConnector, setConnectorState } from '@/lib/custom-events/connectors/save-connector';
import { openSourceUrl } from '@/lib/custom-events/connectors/source';
import { generateActivity } from '@/lib/demo/demo-billing';
import { getPrisma } from '@/lib/db/prisma';
import { notFound } from '@/lib/errors';

const LIST = '/custom-events/connectors';
const idSchema = z.object({ id: z.string().min(1, 'Say which connector.') });

export const createConnectorAction = defineAction({
  name: 'connector.create',
  // Checked in full by createConnector (and against the source); the form's fields pass through as text.
  input: z.object({ name: z.string(), sourceUrl: z.string(), password: z.string().optional(), mappings: z.string() }),
  authorize: requirePermission('connector.write'),
  run: async (input, context) => {
    const connector = await createConnector(getPrisma(), context, input);
    revalidatePath(LIST);
    redirect(`${LIST}/${connector.id}`);
  },
});

export const setConnectorStateAction = defineAction({
  name: 'connector.setState',
  input: idSchema.extend({ state: z.enum(['running', 'stopped'], { message: 'The state is running or stopped.' }) }),
  authorize: requirePermission('connector.write'),
  run: async ({ id, state }, context) => {
    await setConnectorState(getPrisma(), context, id, state);
    revalidatePath(`${LIST}/${id}`);
    return { state };
  },
});

export const deleteConnectorAction = defineAction({
  name: 'connector.delete',
  input: idSchema,
  authorize: requirePermission('connector.write'),
  run: async ({ id }, context) => {
    const { warning } = await deleteConnector(getPrisma(), context, id);
    revalidatePath(LIST);
    return { warning };
  },
});

export const generateActivityAction = defineAction({
  name: 'connector.generateActivity',
  input: idSchema,
  authorize: requirePermission('connector.write'),
  run: async ({ id }, context) => {
    const connector = z.uuid().safeParse(id).success
      ? await getPrisma().connector.findFirst({ where: { id, workspaceId: context.workspaceId }, select: { sourceUrl: true } })
      : null;
    if (!connector) throw notFound('That connector');
    return generateActivity(openSourceUrl(connector.sourceUrl));
  },
});
