import { getPrisma } from '@/lib/db/prisma';
import { meterGraphSchema } from '@/lib/meters/graph';
import { runModeOf, type RunMode } from '@/lib/meters/run-mode';

/**
 * How the Run dialog runs each meter of the workspace that writes the store (its latest saved version), by
 * meter id: for the backfill's replay offer. Meters never saved are left out.
 */
export async function runModesOfStoreWriters(workspaceId: string, storeId: string): Promise<Record<string, RunMode | null>> {
  const meters = await getPrisma().meter.findMany({
    where: { workspaceId, version: { gt: 0 }, stores: { some: { storeId, role: 'target' } } },
    select: { id: true, version: true },
  });
  if (meters.length === 0) return {};
  const versions = await getPrisma().meterVersion.findMany({
    where: { OR: meters.map((m) => ({ meterId: m.id, version: m.version })) },
    select: { meterId: true, graph: true },
  });
  return Object.fromEntries(versions.map((v) => [v.meterId, runModeOf(meterGraphSchema.parse(v.graph))]));
}
