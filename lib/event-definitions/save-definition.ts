import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import type { PrismaClient } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/errors';
import { compareDefinitions } from '@/lib/event-definitions/definition-compatibility';
import { definitionInputSchema, type DefinitionInput, type DefinitionInputRaw } from '@/lib/event-definitions/definition-schema';
import { storedFields } from '@/lib/event-definitions/list-definitions';
import { Prisma } from '@/lib/generated/prisma/client';

export interface SavedDefinition {
  id: string;
  name: string;
  version: number;
}

const saved = { id: true, name: true, version: true } as const;

/** Creates an event definition in the caller's workspace, audited. The name is unique per workspace. */
export async function createDefinition(prisma: PrismaClient, scope: WorkspaceScope, raw: DefinitionInputRaw): Promise<SavedDefinition> {
  const input = definitionInputSchema.parse(raw);
  try {
    return await prisma.$transaction((tx) => insertDefinition(tx, scope, input));
  } catch (error) {
    throw nameTakenOr(error, input.name);
  }
}

/** The insert and its audit row, inside the caller's transaction (a store created with its definition shares it). */
export async function insertDefinition(tx: Prisma.TransactionClient, scope: WorkspaceScope, input: DefinitionInput): Promise<SavedDefinition> {
  const definition = await tx.eventDefinition.create({ data: { workspaceId: scope.workspaceId, ...input }, select: saved });
  await recordAudit(tx, scope, {
    action: 'definition.created',
    targetType: 'event_definition',
    targetId: definition.id,
    details: { name: definition.name, version: definition.version },
  });
  return definition;
}

/**
 * Saves a change to a definition of the caller's workspace and raises its version, audited. When stores use
 * the definition, a change that could invalidate their events (see compareDefinitions) is refused with a
 * message naming the stores and the changes. `expectedVersion`, when given, refuses to overwrite a change
 * someone else saved after the editor was opened.
 */
export async function updateDefinition(
  prisma: PrismaClient,
  scope: WorkspaceScope,
  id: string,
  raw: DefinitionInputRaw,
  expectedVersion?: number,
): Promise<SavedDefinition> {
  const input = definitionInputSchema.parse(raw);
  if (!z.uuid().safeParse(id).success) throw notFound('That event definition');
  try {
    return await prisma.$transaction(async (tx) => {
      // FOR UPDATE conflicts with the key-share lock a new store's foreign key takes on this row, so no store
      // can start using the definition between the check below and the commit.
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM event_definitions WHERE id = ${id}::uuid AND workspace_id = ${scope.workspaceId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw notFound('That event definition');
      const current = await tx.eventDefinition.findFirstOrThrow({
        where: { id, workspaceId: scope.workspaceId },
        include: { stores: { where: { workspaceId: scope.workspaceId }, select: { name: true }, orderBy: { name: 'asc' } } },
      });
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new AppError(
          'DEFINITION_CHANGED',
          `Someone saved a change to “${current.name}” after you opened it (it is now version ${current.version}). Reload the page to see it, then make your change again.`,
          { status: 409 },
        );
      }
      if (current.stores.length > 0) assertCompatible(current, input, current.stores.map((s) => s.name));
      const definition = await tx.eventDefinition.update({ where: { id }, data: { ...input, version: { increment: 1 } }, select: saved });
      await recordAudit(tx, scope, {
        action: 'definition.updated',
        targetType: 'event_definition',
        targetId: id,
        details: { name: definition.name, version: definition.version },
      });
      return definition;
    });
  } catch (error) {
    throw nameTakenOr(error, input.name);
  }
}

function assertCompatible(
  current: { fields: unknown; eventIdField: string; eventTimeField: string },
  next: Parameters<typeof compareDefinitions>[1],
  storeNames: string[],
) {
  const { breaking } = compareDefinitions({ ...current, fields: storedFields(current.fields) }, next);
  if (breaking.length === 0) return;
  throw new AppError(
    'DEFINITION_IN_USE',
    `This change would invalidate events already stored in ${storeNames.join(', ')}: ${breaking.join('; ')}. ` +
      'Create a new definition instead, or make only compatible changes (add optional fields, edit descriptions).',
    { status: 409, details: { stores: storeNames, breakingChanges: breaking } },
  );
}

/** A unique-name violation as the name field's error (at `field`); any other error unchanged. */
export function nameTakenOr(error: unknown, name: string, field = 'name'): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    return new AppError('NAME_TAKEN', `An event definition named “${name}” already exists in this workspace.`, {
      status: 409,
      fieldErrors: { [field]: ['Choose a name no other event definition in this workspace has.'] },
    });
  }
  return error;
}
