'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';
import { createStore, createStoreSchema } from '@/lib/event-store/create-store';

export const createStoreAction = defineAction({
  name: 'eventStore.create',
  input: createStoreSchema,
  authorize: requirePermission('store.write'),
  run: async (input, context) => {
    const store = await createStore(getPrisma(), context, input);
    revalidatePath('/event-stores');
    return store;
  },
});
