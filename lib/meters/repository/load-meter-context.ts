import { getPrisma, type PrismaClient } from '@/lib/db/prisma';
import type { FieldType } from '@/lib/event-definitions/definition-schema';
import type { MeterContext, MeterStoreInfo } from '@/lib/meters/kind-spec';

type StoredField = { name: string; type: FieldType; required: boolean; description?: string };

/** The workspace's event stores with their definitions, as validation and the processors see them. */
export async function loadMeterContext(workspaceId: string, prisma: PrismaClient = getPrisma()): Promise<MeterContext> {
  const rows = await prisma.eventStore.findMany({
    where: { workspaceId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      definition: { select: { id: true, name: true, version: true, fields: true, eventIdField: true, eventTimeField: true } },
    },
  });
  const stores = new Map<string, MeterStoreInfo>();
  for (const row of rows) {
    const fields = (row.definition.fields as StoredField[]).map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      ...(f.description ? { description: f.description } : {}),
    }));
    stores.set(row.id, { id: row.id, name: row.name, definition: { ...row.definition, fields } });
  }
  return { stores };
}
