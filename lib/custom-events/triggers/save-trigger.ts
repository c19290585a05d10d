import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
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

/**
 * Creates a trigger in the caller's workspace at version 1, audited. Refused when the condition has errors
 * (see assertConditionSaveable) or the workspace already has a trigger of that event type.
 */
export async function createTrigger(prisma: PrismaClient, scope: WorkspaceScope, raw: TriggerInputRaw): Promise<SavedTrigger> {
  const input = validInput(raw);
  try {
    return await prisma.$transaction(async (tx) => {
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
  assertConditionSaveable(input.condition, input.baseObject);
  return input;
}

function columns(input: TriggerInput) {
  return { ...input, samples: input.samples as Prisma.InputJsonValue };
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
