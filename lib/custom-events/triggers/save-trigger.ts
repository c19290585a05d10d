import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { canonicalDateField, offsetDaysOf } from '@/lib/custom-events/date-triggers/date-schedule';
import { assertConditionSaveable } from '@/lib/custom-events/triggers/check-condition';
import { triggerInputSchema, type TriggerInput, type TriggerInputRaw } from '@/lib/custom-events/triggers/trigger-schema';
import type { PrismaClient, Tx } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';

export interface SavedTrigger {
  id: string;
  eventType: string;
  version: number;
}

const saved = { id: true, eventType: true, version: true } as const;
const NOT_FOUND = 'That trigger';

/** The most triggers one workspace may have (the UI and the API alike). */
export const MAX_TRIGGERS_PER_WORKSPACE = 1_000;

/**
 * Creates a trigger in the caller's workspace at version 1, audited. Refused when the condition has errors
 * (see assertConditionSaveable) or the workspace already has a trigger of that event type.
 */
export async function createTrigger(prisma: PrismaClient, scope: WorkspaceScope, raw: TriggerInputRaw): Promise<SavedTrigger> {
  const input = validInput(raw);
  try {
    return await prisma.$transaction(async (tx) => {
      await assertRoomForTrigger(tx, scope.workspaceId);
      await assertEventTypeFree(tx, scope.workspaceId, input.eventType);
      const trigger = await tx.trigger.create({ data: { workspaceId: scope.workspaceId, ...columns(input) }, select: saved });
      await recordAudit(tx, scope, {
        action: 'trigger.created',
        targetType: 'trigger',
        targetId: trigger.id,
        details: { eventType: trigger.eventType, baseObject: input.baseObject, version: trigger.version },
      });
      return trigger;
    });
  } catch (error) {
    throw eventTypeTakenOr(error, input.eventType);
  }
}

/**
 * Saves a change to a trigger of the caller's workspace and raises its version, audited. Another
 * workspace's trigger, or a malformed id, is not found. `expectedVersion`, when given, refuses to overwrite
 * a change someone else saved after the editor was opened.
 */
export async function updateTrigger(
  prisma: PrismaClient,
  scope: WorkspaceScope,
  id: string,
  raw: TriggerInputRaw,
  expectedVersion?: number,
): Promise<SavedTrigger> {
  if (!z.uuid().safeParse(id).success) throw notFound(NOT_FOUND);
  const input = validInput(raw);
  try {
    return await prisma.$transaction(async (tx) => {
      const current = await tx.trigger.findFirst({ where: { id, workspaceId: scope.workspaceId }, select: { eventType: true, version: true } });
      if (!current) throw notFound(NOT_FOUND);
      await assertEventTypeFree(tx, scope.workspaceId, input.eventType, id);
      if (expectedVersion !== undefined && expectedVersion !== current.version) throw changedSince(current.eventType, current.version);
      // The version in the WHERE makes the check and the write one step: of two saves racing from the same
      // version, the second matches no row.
      const { count } = await tx.trigger.updateMany({
        where: { id, workspaceId: scope.workspaceId, version: current.version },
        data: { ...columns(input), version: { increment: 1 } },
      });
      if (count === 0) throw changedSince(current.eventType, null);
      const trigger = await tx.trigger.findFirstOrThrow({ where: { id, workspaceId: scope.workspaceId }, select: saved });
      await recordAudit(tx, scope, {
        action: 'trigger.updated',
        targetType: 'trigger',
        targetId: id,
        details: { eventType: trigger.eventType, baseObject: input.baseObject, version: trigger.version },
      });
      return trigger;
    });
  } catch (error) {
    throw eventTypeTakenOr(error, input.eventType);
  }
}

/**
 * Turns a trigger of the caller's workspace on or off, raising its version like any saved change (an editor
 * opened before it then refuses to overwrite it), audited. Setting the state it already has changes nothing.
 */
export async function setTriggerActive(prisma: PrismaClient, scope: WorkspaceScope, id: string, active: boolean): Promise<SavedTrigger & { changed: boolean }> {
  if (!z.uuid().safeParse(id).success) throw notFound(NOT_FOUND);
  return prisma.$transaction(async (tx) => {
    const current = await tx.trigger.findFirst({ where: { id, workspaceId: scope.workspaceId }, select: { ...saved, active: true } });
    if (!current) throw notFound(NOT_FOUND);
    if (current.active === active) return { id, eventType: current.eventType, version: current.version, changed: false };
    const trigger = await tx.trigger.update({ where: { id }, data: { active, version: { increment: 1 } }, select: saved });
    await recordAudit(tx, scope, {
      action: active ? 'trigger.activated' : 'trigger.deactivated',
      targetType: 'trigger',
      targetId: id,
      details: { eventType: trigger.eventType, version: trigger.version },
    });
    return { ...trigger, changed: true };
  });
}

/** Deletes a trigger of the caller's workspace, audited. Another workspace's trigger, or a malformed id, is not found. */
export async function deleteTrigger(prisma: PrismaClient, scope: WorkspaceScope, id: string): Promise<{ id: string; eventType: string }> {
  if (!z.uuid().safeParse(id).success) throw notFound(NOT_FOUND);
  return prisma.$transaction(async (tx) => {
    const current = await tx.trigger.findFirst({ where: { id, workspaceId: scope.workspaceId }, select: { eventType: true, version: true } });
    if (!current) throw notFound(NOT_FOUND);
    await tx.trigger.deleteMany({ where: { id, workspaceId: scope.workspaceId } });
    await recordAudit(tx, scope, {
      action: 'trigger.deleted',
      targetType: 'trigger',
      targetId: id,
      details: { eventType: current.eventType, version: current.version },
    });
    return { id, eventType: current.eventType };
  });
}

/** The input's rules, then the condition's meaning against its base object. */
function validInput(raw: TriggerInputRaw): TriggerInput {
  const input = triggerInputSchema.parse(raw);
  if (input.condition.trim() || input.kind === 'change') assertConditionSaveable(input.condition, input.baseObject);
  return input;
}

/**
 * The row's columns. A date trigger keeps its schedule in four columns (the offset signed: negative is
 * before) and an empty condition as `true` (every record); a change trigger has none of them.
 */
function columns(input: TriggerInput) {
  const { schedule, ...rest } = input;
  const date = input.kind === 'date' && schedule ? schedule : null;
  return {
    ...rest,
    condition: date && !input.condition.trim() ? 'true' : input.condition,
    samples: input.samples as Prisma.InputJsonValue,
    dateField: date ? canonicalDateField(input.baseObject, date.dateField) : null,
    offsetDays: date ? offsetDaysOf(date) : null,
    runAt: date?.time ?? null,
    timeZone: date?.timeZone ?? null,
  };
}

/**
 * Refuses a new trigger once the workspace has MAX_TRIGGERS_PER_WORKSPACE. The count is taken under a
 * transaction-scoped advisory lock per workspace, so two creates racing at 999 cannot both pass it.
 */
async function assertRoomForTrigger(tx: Tx, workspaceId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('triggers:' || ${workspaceId}::text, 0))`;
  const count = await tx.trigger.count({ where: { workspaceId } });
  if (count < MAX_TRIGGERS_PER_WORKSPACE) return;
  throw new AppError(
    'TRIGGER_LIMIT_REACHED',
    `This workspace has ${count.toLocaleString('en-US')} triggers, the most it can have (${MAX_TRIGGERS_PER_WORKSPACE.toLocaleString('en-US')}). Delete triggers you no longer need before creating another (inactive ones count too).`,
    { status: 409, details: { limit: MAX_TRIGGERS_PER_WORKSPACE, count } },
  );
}

/**
 * Event types are unique per workspace exactly (the unique index) and, for people, regardless of case:
 * InvoicePosted and INVOICEPOSTED would be two names for one business event.
 */
async function assertEventTypeFree(tx: Tx, workspaceId: string, eventType: string, exceptId?: string) {
  const clash = await tx.trigger.findFirst({
    where: { workspaceId, eventType: { equals: eventType, mode: 'insensitive' }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { eventType: true },
  });
  if (clash) throw eventTypeTaken(clash.eventType);
}

function eventTypeTaken(existing: string) {
  return new AppError('EVENT_TYPE_TAKEN', `A trigger for the event type “${existing}” already exists in this workspace.`, {
    status: 409,
    fieldErrors: { eventType: [`Choose an event type no other trigger in this workspace has (“${existing}” is taken; case does not count).`] },
  });
}

/** A unique-index violation (two saves racing) as the event type's field error; any other error unchanged. */
function eventTypeTakenOr(error: unknown, eventType: string): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return eventTypeTaken(eventType);
  return error;
}

function changedSince(eventType: string, version: number | null) {
  const now = version === null ? '' : ` (it is now version ${version})`;
  return new AppError(
    'TRIGGER_CHANGED',
    `Someone saved a change to “${eventType}” after you opened it${now}. Reload the page to see it, then make your change again.`,
    { status: 409 },
  );
}
