'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';
import { definitionInputSchema, updateDefinitionSchema } from '@/lib/event-definitions/definition-schema';
import { createDefinition, updateDefinition } from '@/lib/event-definitions/save-definition';

// Stores list their definitions' names, so both lists are refreshed. The list then confirms what was saved
// (by id: the message is built from the saved definition, never from text in the URL).
function showSaved(outcome: 'created' | 'saved', id: string): never {
  revalidatePath('/event-definitions');
  revalidatePath('/event-stores');
  redirect(`/event-definitions?${outcome}=${encodeURIComponent(id)}`);
}

export const createDefinitionAction = defineAction({
  name: 'eventDefinition.create',
  input: definitionInputSchema,
  authorize: requirePermission('definition.write'),
  run: async (input, context) => {
    const created = await createDefinition(getPrisma(), context, input);
    return showSaved('created', created.id);
  },
});

export const updateDefinitionAction = defineAction({
  name: 'eventDefinition.update',
  input: updateDefinitionSchema,
  authorize: requirePermission('definition.write'),
  run: async ({ id, expectedVersion, ...input }, context) => {
    const saved = await updateDefinition(getPrisma(), context, id, input, expectedVersion);
    return showSaved('saved', saved.id);
  },
});
