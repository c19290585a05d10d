import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { definitionFieldSchema } from '@/lib/event-definitions/list-definitions';
import { notFound } from '@/lib/errors';
import { getStoreStats } from '@/lib/event-store/store-stats';
import type { StoreListItem } from '@/lib/event-store/list-stores';
import type { DefinitionShape } from '@/lib/event-store/record-validation';
import { storeStatusLabel, type StoreActivityState } from '@/lib/event-store/store-status';

export interface StoreWithDefinition extends StoreActivityState {
  id: string;
  name: string;
  description: string;
  definition: DefinitionShape & { id: string; version: number };
}

/**
 * A store of the workspace with its definition and activity, without counting its events (cheap: the
 * ingest path calls it per request). A store of another workspace, or a malformed id, is "not found"
 * exactly like a missing one, so ids cannot be probed.
 */
export async function findStore(workspaceId: string, id: string): Promise<StoreWithDefinition> {
  if (!z.uuid().safeParse(id).success) throw notFound('That event store');
  const store = await getPrisma().eventStore.findFirst({
    where: { id, workspaceId },
    include: { definition: true },
  });
  if (!store) throw notFound('That event store');
  const d = store.definition;
  return {
    id: store.id,
    name: store.name,
    description: store.description,
    activity: store.activity,
    leaseOwner: store.leaseOwner,
    leaseExpiresAt: store.leaseExpiresAt,
    activityStartedAt: store.activityStartedAt,
    definition: {
      id: d.id,
      name: d.name,
      version: d.version,
      eventIdField: d.eventIdField,
      eventTimeField: d.eventTimeField,
      fields: z.array(definitionFieldSchema).parse(d.fields),
    },
  };
}

/** One store of the workspace with its event count and time span. */
export async function getStore(workspaceId: string, id: string): Promise<StoreListItem> {
  const store = await findStore(workspaceId, id);
  const [stats, meterUses] = await Promise.all([getStoreStats(getPool(), [store.id]), getPrisma().meterStore.count({ where: { storeId: store.id } })]);
  return {
    id: store.id,
    name: store.name,
    description: store.description,
    definitionId: store.definition.id,
    definitionName: store.definition.name,
    status: storeStatusLabel(store, meterUses),
    ...stats.get(store.id)!,
  };
}
