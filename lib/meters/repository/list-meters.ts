import { getPrisma } from '@/lib/db/prisma';
import { meterGraphSchema } from '@/lib/meters/graph';
import { hasErrors } from '@/lib/meters/problems';
import { runModeOf, type RunMode } from '@/lib/meters/run-mode';
import { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
import { validateMeter } from '@/lib/meters/validate';
import { lastRunsOfMeters, type LastRun } from '@/lib/runs/read-runs';

export interface MeterListItem {
  id: string;
  name: string;
  description: string;
  /** 0 until the first save. */
  version: number;
  updatedAt: Date;
  updatedBy: string;
  /** Draft: never saved, or its latest version has errors now (e.g. a store's definition changed since). */
  status: 'draft' | 'ready';
  sources: { id: string; name: string }[];
  targets: { id: string; name: string }[];
  /** How the Run dialog runs its latest version (scope, file, or start/stop); null when there is nothing to run. */
  runMode: RunMode | null;
  /** The meter's latest run (any status), or null before the first. */
  lastRun: LastRun | null;
}

/** The workspace's meters by name, with their stores and whether their latest version validates today. */
export async function listMeters(workspaceId: string): Promise<MeterListItem[]> {
  const [meters, context] = await Promise.all([
    getPrisma().meter.findMany({
      where: { workspaceId },
      orderBy: { name: 'asc' },
      select: {
        id: true,
        name: true,
        description: true,
        version: true,
        updatedAt: true,
        updatedBy: true,
        stores: { select: { role: true, store: { select: { id: true, name: true } } }, orderBy: { store: { name: 'asc' } } },
      },
    }),
    loadMeterContext(workspaceId),
  ]);
  const latest = await getPrisma().meterVersion.findMany({
    where: { OR: meters.filter((m) => m.version > 0).map((m) => ({ meterId: m.id, version: m.version })) },
    select: { meterId: true, graph: true },
  });
  const graphs = new Map(latest.map((v) => [v.meterId, v.graph]));
  const lastRuns = await lastRunsOfMeters(workspaceId, meters.map((m) => m.id));
  return meters.map(({ stores, ...meter }) => {
    const stored = graphs.get(meter.id);
    const graph = stored === undefined ? undefined : meterGraphSchema.parse(stored);
    const ready = graph !== undefined && !hasErrors(validateMeter(graph, context));
    return {
      ...meter,
      status: ready ? 'ready' : 'draft',
      runMode: runModeOf(graph),
      sources: stores.filter((s) => s.role === 'source').map((s) => s.store),
      targets: stores.filter((s) => s.role === 'target').map((s) => s.store),
      lastRun: lastRuns.get(meter.id) ?? null,
    };
  });
}
