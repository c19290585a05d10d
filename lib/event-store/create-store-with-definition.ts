import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import type { PrismaClient } from '@/lib/db/prisma';
import { definitionInputSchema } from '@/lib/event-definitions/definition-schema';
import { insertDefinition, nameTakenOr } from '@/lib/event-definitions/save-definition';
import { insertStore, storeNameSchema, storeNameTakenOr } from '@/lib/event-store/create-store';

export const createStoreWithDefinitionSchema = z.object({
  name: storeNameSchema,
  description: z.string().trim().max(500, 'Keep the description to 500 characters or fewer.').default(''),
  definition: definitionInputSchema,
});
export type CreateStoreWithDefinitionInput = z.input<typeof createStoreWithDefinitionSchema>;

/**
 * Creates an event definition and a store of it in one transaction, both audited (the meter canvas's
 * inline "new store"): a store name already taken leaves no orphan definition behind, and a definition
 * name already taken creates no store. Errors name their field (`name`, `definition.name`, `definition.fields.2.type`…).
 */
export async function createStoreWithDefinition(
  prisma: PrismaClient,
  scope: WorkspaceScope,
  raw: CreateStoreWithDefinitionInput,
): Promise<{ id: string; name: string; definitionId: string }> {
  const input = createStoreWithDefinitionSchema.parse(raw);
  return prisma.$transaction(async (tx) => {
    const definition = await insertDefinition(tx, scope, input.definition).catch((error: unknown) => {
      throw nameTakenOr(error, input.definition.name, 'definition.name');
    });
    const store = await insertStore(tx, scope, input, definition).catch((error: unknown) => {
      throw storeNameTakenOr(error, input.name);
    });
    return { ...store, definitionId: definition.id };
  });
}
