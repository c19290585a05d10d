import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { getStoreStats, type StoreStats } from '@/lib/event-store/store-stats';
import { storeStatusLabel, type StoreStatusLabel } from '@/lib/event-store/store-status';

export interface StoreListItem extends StoreStats {
  id: string;
  name: string;
  description: string;
  definitionId: string;
  definitionName: string;
  status: StoreStatusLabel;
}

/** The workspace's event stores with their definitions and event counts, by name. */
export async function listStores(workspaceId: string): Promise<StoreListItem[]> {
  const stores = await getPrisma().eventStore.findMany({
    where: { workspaceId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      description: true,
      activity: true,
      leaseExpiresAt: true,
      definition: { select: { id: true, name: true } },
      _count: { select: { meterUses: true } },
    },
  });
  const stats = await getStoreStats(getPool(), stores.map((s) => s.id));
  return stores.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    definitionId: s.definition.id,
    definitionName: s.definition.name,
    // meter_stores holds the stores of each meter's latest saved version.
    status: storeStatusLabel(s, s._count.meterUses),
    ...stats.get(s.id)!,
  }));
}
