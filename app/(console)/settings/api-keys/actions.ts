'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { createApiKey, createApiKeySchema, revokeApiKey } from '@/lib/api-keys/manage-api-keys';
import { requirePermission } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';

export const createApiKeyAction = defineAction({
  name: 'apiKey.create',
  input: createApiKeySchema,
  authorize: requirePermission('apiKey.manage'),
  run: async (input, context) => {
    const { key, apiKey } = await createApiKey(getPrisma(), context, input);
    revalidatePath('/settings/api-keys');
    return { key, name: apiKey.name };
  },
});

export const revokeApiKeyAction = defineAction({
  name: 'apiKey.revoke',
  input: z.object({ id: z.string().min(1) }),
  authorize: requirePermission('apiKey.manage'),
  run: async ({ id }, context) => {
    await revokeApiKey(getPrisma(), context, id);
    revalidatePath('/settings/api-keys');
    return { id };
  },
});
