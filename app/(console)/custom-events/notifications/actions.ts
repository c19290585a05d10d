'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { endpointInputSchema } from '@/lib/notifications/endpoint-schema';
import { resendDelivery } from '@/lib/notifications/resend-delivery';
import { createEndpoint, deleteEndpoint, rotateSecret, setEndpointActive, updateEndpoint } from '@/lib/notifications/save-endpoint';

const LIST = '/custom-events/notifications';
const idSchema = z.object({ id: z.string().min(1, 'Say which endpoint.') });

/** Adds an endpoint; the answer carries the new webhook secret, which the form shows once. */
export const createEndpointAction = defineAction({
  name: 'notification.endpoint.create',
  input: endpointInputSchema,
  authorize: requirePermission('notification.write'),
  run: async (input, context) => {
    const created = await createEndpoint(getPrisma(), context, input);
    revalidatePath(LIST);
    return created;
  },
});

export const updateEndpointAction = defineAction({
  name: 'notification.endpoint.update',
  input: z.intersection(endpointInputSchema, z.object({ id: z.string().min(1, 'Say which endpoint.') })),
  authorize: requirePermission('notification.write'),
  run: async ({ id, ...input }, context) => {
    const saved = await updateEndpoint(getPrisma(), context, id, input);
    revalidatePath(`${LIST}/${id}`);
    return saved;
  },
});

export const setEndpointActiveAction = defineAction({
  name: 'notification.endpoint.setActive',
  input: idSchema.extend({ active: z.enum(['true', 'false']).transform((v) => v === 'true') }),
  authorize: requirePermission('notification.write'),
  run: async ({ id, active }, context) => {
    const saved = await setEndpointActive(getPrisma(), context, id, active);
    revalidatePath(`${LIST}/${id}`);
    return saved;
  },
});

/** A new secret, in the answer once. */
export const rotateSecretAction = defineAction({
  name: 'notification.endpoint.rotateSecret',
  input: idSchema,
  authorize: requirePermission('notification.write'),
  run: async ({ id }, context) => {
    const rotated = await rotateSecret(getPrisma(), context, id);
    revalidatePath(`${LIST}/${id}`);
    return rotated;
  },
});

export const deleteEndpointAction = defineAction({
  name: 'notification.endpoint.delete',
  input: idSchema,
  authorize: requirePermission('notification.write'),
  run: async ({ id }, context) => {
    await deleteEndpoint(getPrisma(), context, id);
    revalidatePath(LIST);
    redirect(LIST);
  },
});

export const resendDeliveryAction = defineAction({
  name: 'notification.delivery.resend',
  input: z.object({ id: z.string().min(1, 'Say which delivery to resend.') }),
  authorize: requirePermission('notification.write'),
  run: async ({ id }, context) => {
    const resent = await resendDelivery(getPool(), context, id);
    revalidatePath(LIST, 'layout');
    revalidatePath('/custom-events/business-events', 'layout');
    return resent;
  },
});
