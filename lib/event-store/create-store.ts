import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { assertDefinitionUsableForStore } from '@/lib/event-definitions/assert-usable-for-store';
import type { PrismaClient } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';

export const storeNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the store a name.')
  .max(64, 'Keep the name to 64 characters or fewer.')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit.');

export const createStoreSchema = z.object({
  name: storeNameSchema,
  definitionId: z.string().min(1, 'Choose an event definition.'),
  description: z.string().trim().max(500, 'Keep the description to 500 characters or fewer.').default(''),
});
export type CreateStoreInput = z.input<typeof createStoreSchema>;

/**
 * Creates an event store in the caller's workspace from one of that workspace's definitions. The name is
 * unique per workspace; a definition of another workspace is treated as unknown.
 */
export async function createStore(prisma: PrismaClient, scope: WorkspaceScope, raw: CreateStoreInput): Promise<{ id: string; name: string }> {
  const input = createStoreSchema.parse(raw);
  const definition = z.uuid().safeParse(input.definitionId).success
    ? await prisma.eventDefinition.findFirst({ where: { id: input.definitionId, workspaceId: scope.workspaceId } })
    : null;
  if (!definition) {
    throw new AppError('UNKNOWN_DEFINITION', 'That event definition does not exist in this workspace.', {
      fieldErrors: { definitionId: ['Choose one of this workspace’s event definitions.'] },
    });
  }
  assertDefinitionUsableForStore(definition);
  try {
    return await prisma.$transaction((tx) => insertStore(tx, scope, input, definition));
  } catch (error) {
    throw storeNameTakenOr(error, input.name);
  }
}

/** The insert and its audit row, inside the caller's transaction (a store created with its definition shares it). */
export async function insertStore(
  tx: Prisma.TransactionClient,
  scope: WorkspaceScope,
  input: { name: string; description: string },
  definition: { id: string; name: string },
): Promise<{ id: string; name: string }> {
  const store = await tx.eventStore.create({
    data: { workspaceId: scope.workspaceId, name: input.name, description: input.description, definitionId: definition.id },
    select: { id: true, name: true },
  });
  await recordAudit(tx, scope, { action: 'store.created', targetType: 'event_store', targetId: store.id, details: { name: store.name, definition: definition.name } });
  return store;
}

/** A unique-name violation as the name field's error (at `field`); any other error unchanged. */
export function storeNameTakenOr(error: unknown, name: string, field = 'name'): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    return new AppError('NAME_TAKEN', `An event store named "${name}" already exists in this workspace.`, {
      status: 409,
      fieldErrors: { [field]: ['Choose a name no other store in this workspace has.'] },
    });
  }
  return error;
}
