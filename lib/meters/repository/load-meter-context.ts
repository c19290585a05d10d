import { getPrisma, type PrismaClient } from '@/lib/db/prisma';
import type { FieldType } from '@/lib/event-definitions/definition-schema';
import type { MeterContext, MeterEventTypeInfo, MeterStoreInfo } from '@/lib/meters/kind-spec';

type StoredField = { name: string; type: FieldType; required: boolean; description?: string };

/**
 * The workspace's event stores with their definitions, and its business event types (one per trigger, with the
 * trigger's object), as validation and the processors see them.
 */
export async function loadMeterContext(workspaceId: string, prisma: PrismaClient = getPrisma()): Promise<MeterContext> {
  const [rows, triggers] = await Promise.all([loadStores(workspaceId, prisma), prisma.trigger.findMany({
    where: { workspaceId },
    orderBy: { eventType: 'asc' },
    select: { eventType: true, baseObject: true, active: true },
  })]);
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
  const eventTypes = new Map<string, MeterEventTypeInfo>(triggers.map((t) => [t.eventType, { eventType: t.eventType, object: t.baseObject, active: t.active }]));
  return { stores, eventTypes };
}

function loadStores(workspaceId: string, prisma: PrismaClient) {
  return prisma.eventStore.findMany({
    where: { workspaceId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      definition: { select: { id: true, name: true, version: true, fields: true, eventIdField: true, eventTimeField: true } },
    },
  });
}
