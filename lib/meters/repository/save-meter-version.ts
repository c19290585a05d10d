import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { formatDateTime } from '@/components/ui/format';
import { getPrisma, type Tx } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/errors';
import { meterGraphSchema, type MeterGraph } from '@/lib/meters/graph';
import { hasErrors, type MeterProblem } from '@/lib/meters/problems';
import { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
import { storeRefsOf } from '@/lib/meters/store-refs';
import { validateMeter } from '@/lib/meters/validate';

/** The code of a save or restore refused because the graph has errors; `details.problems` lists them all. */
export const METER_HAS_ERRORS = 'METER_HAS_ERRORS';

export interface SavedVersion {
  version: number;
}

/**
 * Saves `graph` as the meter's next version, if `baseVersion` is still its latest (optimistic concurrency:
 * of two saves from the same base, exactly one wins) and validateMeter finds no error. The version, the
 * meter's new latest number, its meter_stores rows and the `meter.saved` audit row commit together, or
 * nothing is written.
 */
export async function saveMeterVersion(scope: WorkspaceScope, meterId: string, baseVersion: number, graph: unknown): Promise<SavedVersion> {
  return writeVersion(scope, meterId, baseVersion, graph, { action: 'meter.saved', note: '' });
}

/** Brings version `version` back as a new version (validated like a save), audited `meter.restored`. */
export async function restoreMeterVersion(scope: WorkspaceScope, meterId: string, version: number, baseVersion: number): Promise<SavedVersion> {
  await findMeter(scope.workspaceId, meterId);
  const old = await getPrisma().meterVersion.findUnique({ where: { meterId_version: { meterId, version } }, select: { graph: true } });
  if (!old) throw notFound(`Version ${version} of this meter`);
  return writeVersion(scope, meterId, baseVersion, old.graph, { action: 'meter.restored', note: `Restored from version ${version}`, restoredFrom: version });
}

async function writeVersion(
  scope: WorkspaceScope,
  meterId: string,
  baseVersion: number,
  raw: unknown,
  how: { action: 'meter.saved' | 'meter.restored'; note: string; restoredFrom?: number },
): Promise<SavedVersion> {
  const meter = await findMeter(scope.workspaceId, meterId);
  if (meter.version !== baseVersion) throw staleBase(meter, baseVersion);
  const context = await loadMeterContext(scope.workspaceId);
  const problems = validateMeter(raw as MeterGraph, context);
  if (hasErrors(problems)) throw meterHasErrors(meter.name, problems);
  const graph = meterGraphSchema.parse(raw);
  const stores = storeRefsOf(graph).filter((ref) => context.stores.has(ref.storeId));
  return getPrisma().$transaction(async (tx) => {
    const version = await bumpVersion(tx, scope, meterId, baseVersion);
    await tx.meterVersion.create({ data: { meterId, version, graph: graph as object, note: how.note, createdBy: scope.actor.label } });
    await tx.meterStore.deleteMany({ where: { meterId } });
    if (stores.length) await tx.meterStore.createMany({ data: stores.map((s) => ({ meterId, storeId: s.storeId, role: s.role })) });
    const details = { name: meter.name, version, ...(how.restoredFrom ? { restoredFrom: how.restoredFrom } : {}) };
    await recordAudit(tx, scope, { action: how.action, targetType: 'meter', targetId: meterId, details });
    return { version };
  });
}

/** The conditional update that makes concurrent saves from one base safe: only the first finds its base. */
async function bumpVersion(tx: Tx, scope: WorkspaceScope, meterId: string, baseVersion: number): Promise<number> {
  const { count } = await tx.meter.updateMany({
    where: { id: meterId, workspaceId: scope.workspaceId, version: baseVersion },
    data: { version: { increment: 1 }, updatedAt: new Date(), updatedBy: scope.actor.label },
  });
  if (count === 1) return baseVersion + 1;
  const meter = await tx.meter.findFirst({ where: { id: meterId, workspaceId: scope.workspaceId }, select: meterFacts });
  if (!meter) throw notFound('That meter');
  throw staleBase(meter, baseVersion);
}

const meterFacts = { id: true, name: true, version: true, updatedAt: true, updatedBy: true } as const;
type MeterFacts = { id: string; name: string; version: number; updatedAt: Date; updatedBy: string };

async function findMeter(workspaceId: string, meterId: string): Promise<MeterFacts> {
  const meter = z.uuid().safeParse(meterId).success
    ? await getPrisma().meter.findFirst({ where: { id: meterId, workspaceId }, select: meterFacts })
    : null;
  if (!meter) throw notFound('That meter');
  return meter;
}

function staleBase(meter: MeterFacts, baseVersion: number): AppError {
  return new AppError(
    'STALE_VERSION',
    `${meter.updatedBy} saved version ${meter.version} of “${meter.name}” at ${formatDateTime(meter.updatedAt)}, after the version ${baseVersion} you started from. ` +
      'Reload the meter to see their changes, then make yours again.',
    { status: 409, details: { latestVersion: meter.version, savedBy: meter.updatedBy, savedAt: meter.updatedAt.toISOString() } },
  );
}

/**
 * The refusal of a graph with errors, shared by save and run (`outcome` says which), so both name the
 * same problems in the same words.
 */
export function meterHasErrors(name: string, problems: MeterProblem[], outcome: 'saved' | 'run' = 'saved'): AppError {
  const errors = problems.filter((p) => p.severity === 'error');
  const first = errors[0]!.message;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}, listed with the meter)` : '';
  return new AppError(METER_HAS_ERRORS, `“${name}” was not ${outcome}: ${first}${more}`, { status: 422, details: { problems } });
}
