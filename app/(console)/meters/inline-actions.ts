'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { assertRoleCan, requirePermission } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';
import { createStoreWithDefinition, createStoreWithDefinitionSchema } from '@/lib/event-store/create-store-with-definition';

/**
 * The meter canvas's inline "new store with a new definition" (an existing definition goes through
 * createStoreAction). Needs both permissions: creating a store and creating a definition.
 */
export const createStoreWithDefinitionAction = defineAction({
  name: 'eventStore.createWithDefinition',
  input: createStoreWithDefinitionSchema,
  authorize: async (submission) => {
    const context = await requirePermission('store.write')(submission);
    assertRoleCan(context, 'definition.write');
    return context;
  },
  run: async (input, context) => {
    const store = await createStoreWithDefinition(getPrisma(), context, input);
    revalidatePath('/event-stores');
    revalidatePath('/event-definitions');
    return store;
  },
});
