import { z } from 'zod';
import { getPrisma } from '@/lib/db/prisma';
import { definitionFieldSchema, type DefinitionField } from '@/lib/event-definitions/definition-schema';

export { definitionFieldSchema, fieldTypeSchema, type DefinitionField } from '@/lib/event-definitions/definition-schema';

export interface DefinitionListItem {
  id: string;
  name: string;
  description: string;
  eventIdField: string;
  eventTimeField: string;
  fields: DefinitionField[];
  /** Raised by every saved change. */
  version: number;
  storeNames: string[];
}

/** Loads the stores that use a definition, by name, with the definition row. */
export const withStoreNames = { stores: { select: { name: true }, orderBy: { name: 'asc' } } } as const;

/** The workspace's event definitions with their fields and the stores that use them, by name. */
export async function listDefinitions(workspaceId: string): Promise<DefinitionListItem[]> {
  const rows = await getPrisma().eventDefinition.findMany({ where: { workspaceId }, orderBy: { name: 'asc' }, include: withStoreNames });
  return rows.map(toDefinitionItem);
}

/** A definition row (with its stores) as the pages and the API show it. */
export function toDefinitionItem(d: {
  id: string;
  name: string;
  description: string;
  eventIdField: string;
  eventTimeField: string;
  fields: unknown;
  version: number;
  stores: { name: string }[];
}): DefinitionListItem {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    eventIdField: d.eventIdField,
    eventTimeField: d.eventTimeField,
    fields: storedFields(d.fields),
    version: d.version,
    storeNames: d.stores.map((s) => s.name),
  };
}

/** The fields column, checked: the JSON column carries no type of its own. */
export function storedFields(json: unknown): DefinitionField[] {
  return z.array(definitionFieldSchema).parse(json);
}
