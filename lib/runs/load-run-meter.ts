import { z } from 'zod';
import { getPrisma } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/errors';
import { meterGraphSchema, type MeterGraph } from '@/lib/meters/graph';
import type { MeterContext } from '@/lib/meters/kind-spec';
import { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
import { meterHasErrors } from '@/lib/meters/repository/save-meter-version';
import { validateMeter } from '@/lib/meters/validate';

/** A meter version as a run sees it: the graph to execute and the workspace's stores today. */
export interface RunMeter {
  id: string;
  name: string;
  version: number;
  graph: MeterGraph;
  context: MeterContext;
}

/**
 * The meter's version `version` (its latest when omitted) with the workspace's stores. A meter of
 * another workspace is "not found", like a missing one; a meter never saved cannot run.
 */
export async function loadRunMeter(workspaceId: string, meterId: string, version?: number): Promise<RunMeter> {
  const meter = z.uuid().safeParse(meterId).success
    ? await getPrisma().meter.findFirst({ where: { id: meterId, workspaceId }, select: { id: true, name: true, version: true } })
    : null;
  if (!meter) throw notFound('That meter');
  if (meter.version === 0) throw new AppError('METER_NOT_SAVED', `“${meter.name}” has not been saved yet: save it, then run it.`, { status: 422 });
  const wanted = version ?? meter.version;
  // Versions are 1 … the latest: anything past it (2^31 and more too, which the column cannot hold) is not found.
  if (wanted > meter.version) throw notFound(`Version ${wanted} of “${meter.name}”`);
  const [row, context] = await Promise.all([
    getPrisma().meterVersion.findUnique({ where: { meterId_version: { meterId, version: wanted } }, select: { graph: true } }),
    loadMeterContext(workspaceId),
  ]);
  if (!row) throw notFound(`Version ${wanted} of “${meter.name}”`);
  // A stored graph that no longer parses (written under older rules, or by hand) is refused like save refuses
  // it, with its GRAPH_INVALID problems, rather than failing on the parse.
  const parsed = meterGraphSchema.safeParse(row.graph);
  if (!parsed.success) throw meterHasErrors(meter.name, validateMeter(row.graph, context), 'run');
  return { id: meter.id, name: meter.name, version: wanted, graph: parsed.data, context };
}
