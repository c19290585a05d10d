import { z } from 'zod';
import { getPrisma } from '@/lib/db/prisma';
import { emptyGraph, meterGraphSchema, type MeterGraph } from '@/lib/meters/graph';

/** What the editor opens: the meter and its latest graph (empty before the first save, at version 0). */
export interface MeterForEditor {
  id: string;
  name: string;
  description: string;
  version: number;
  graph: MeterGraph;
  updatedAt: Date;
  updatedBy: string;
}

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/** The meter of the workspace with its latest graph, or null (another workspace's meter is null too). */
export async function getMeterForEditor(workspaceId: string, meterId: string): Promise<MeterForEditor | null> {
  if (!isUuid(meterId)) return null;
  const meter = await getPrisma().meter.findFirst({
    where: { id: meterId, workspaceId },
    select: { id: true, name: true, description: true, version: true, updatedAt: true, updatedBy: true },
  });
  if (!meter) return null;
  const graph = await getMeterVersionGraph(workspaceId, meterId, meter.version);
  return { ...meter, graph: graph ?? emptyGraph() };
}

/** Whether the workspace has this meter (a meter of another workspace, or a malformed id, is not). */
export async function meterExists(workspaceId: string, meterId: string): Promise<boolean> {
  return isUuid(meterId) && (await getPrisma().meter.count({ where: { id: meterId, workspaceId } })) > 0;
}

export interface MeterVersionItem {
  version: number;
  createdAt: Date;
  createdBy: string;
  note: string;
}

/** The meter's versions, newest first; empty for a meter of another workspace. */
export async function listMeterVersions(workspaceId: string, meterId: string): Promise<MeterVersionItem[]> {
  if (!isUuid(meterId)) return [];
  return getPrisma().meterVersion.findMany({
    where: { meterId, meter: { workspaceId } },
    orderBy: { version: 'desc' },
    select: { version: true, createdAt: true, createdBy: true, note: true },
  });
}

/** One version's graph (for the history's diff), or null. */
export async function getMeterVersionGraph(workspaceId: string, meterId: string, version: number): Promise<MeterGraph | null> {
  if (!isUuid(meterId) || version < 1) return null;
  const row = await getPrisma().meterVersion.findFirst({ where: { meterId, version, meter: { workspaceId } }, select: { graph: true } });
  return row ? meterGraphSchema.parse(row.graph) : null;
}
