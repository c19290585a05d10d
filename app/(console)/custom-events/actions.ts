'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { simulateCondition, simulationInputSchema } from '@/lib/custom-events/simulator/simulate-condition';
import { createTrigger, deleteTrigger, updateTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { createTriggerFormSchema, updateTriggerFormSchema } from '@/lib/custom-events/triggers/trigger-schema';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';

function showList(): never {
  revalidatePath('/custom-events');
  redirect('/custom-events');
}

export const createTriggerAction = defineAction({
  name: 'trigger.create',
  input: createTriggerFormSchema,
  authorize: requirePermission('trigger.write'),
  run: async (input, context) => {
    await createTrigger(getPrisma(), context, input);
    return showList();
  },
});

export const updateTriggerAction = defineAction({
  name: 'trigger.update',
  input: updateTriggerFormSchema,
  authorize: requirePermission('trigger.write'),
  run: async ({ id, expectedVersion, ...input }, context) => {
    await updateTrigger(getPrisma(), context, id, input, expectedVersion);
    return showList();
  },
});

export const deleteTriggerAction = defineAction({
  name: 'trigger.delete',
  input: z.object({ id: z.string().min(1, 'Say which trigger to delete.') }),
  authorize: requirePermission('trigger.write'),
  run: async ({ id }, context) => {
    await deleteTrigger(getPrisma(), context, id);
    return showList();
  },
});

/** "How often would this have fired?": the editor's draft condition (not saved) over the workspace's recent changes. */
export const simulateConditionAction = defineAction({
  name: 'trigger.simulate',
  input: simulationInputSchema,
  authorize: requirePermission('workspace.read'),
  run: (input, context) => simulateCondition(getPool(), context.workspaceId, input),
});
