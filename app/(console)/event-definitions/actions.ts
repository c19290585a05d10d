'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';
import { definitionInputSchema, updateDefinitionSchema } from '@/lib/event-definitions/definition-schema';
import { createDefinition, updateDefinition } from '@/lib/event-definitions/save-definition';

// Stores list their definitions' names, so both lists are refreshed.
function showSaved(): never {
  revalidatePath('/event-definitions');
  revalidatePath('/event-stores');
  redirect('/event-definitions');
}

export const createDefinitionAction = defineAction({
  name: 'eventDefinition.create',
  input: definitionInputSchema,
  authorize: requirePermission('definition.write'),
  run: async (input, context) => {
    await createDefinition(getPrisma(), context, input);
    return showSaved();
  },
});

export const updateDefinitionAction = defineAction({
  name: 'eventDefinition.update',
  input: updateDefinitionSchema,
  authorize: requirePermission('definition.write'),
  run: async ({ id, expectedVersion, ...input }, context) => {
    await updateDefinition(getPrisma(), context, id, input, expectedVersion);
    return showSaved();
  },
});
