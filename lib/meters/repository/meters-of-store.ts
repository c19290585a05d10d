import { getPrisma } from '@/lib/db/prisma';

export interface StoreMeter {
  id: string;
  name: string;
  role: 'source' | 'target';
}

/** The meters whose latest saved version reads (source) or writes (target) the store, by name. */
export async function metersOfStore(workspaceId: string, storeId: string): Promise<StoreMeter[]> {
  const rows = await getPrisma().meterStore.findMany({
    where: { storeId, meter: { workspaceId } },
    select: { role: true, meter: { select: { id: true, name: true } } },
    orderBy: [{ meter: { name: 'asc' } }, { role: 'asc' }],
  });
  return rows.map((r) => ({ id: r.meter.id, name: r.meter.name, role: r.role }));
}
