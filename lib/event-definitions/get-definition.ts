import { z } from 'zod';
import { getPrisma } from '@/lib/db/prisma';
import { toDefinitionItem, withStoreNames, type DefinitionListItem } from '@/lib/event-definitions/list-definitions';

/**
 * One definition of the workspace, or null. A definition of another workspace, or a malformed id, is null
 * exactly like a missing one, so ids cannot be probed.
 */
export async function getDefinition(workspaceId: string, id: string): Promise<DefinitionListItem | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await getPrisma().eventDefinition.findFirst({ where: { id, workspaceId }, include: withStoreNames });
  return row ? toDefinitionItem(row) : null;
}
