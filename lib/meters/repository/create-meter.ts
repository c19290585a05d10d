import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { getPrisma } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';

export const MAX_METER_NAME = 100;

export const meterNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the meter a name.')
  .max(MAX_METER_NAME, `Keep the name to ${MAX_METER_NAME} characters or fewer.`);

export const createMeterSchema = z.object({
  name: meterNameSchema,
  description: z.string().trim().max(500, 'Keep the description to 500 characters or fewer.').default(''),
});
export type CreateMeterInput = z.input<typeof createMeterSchema>;

/**
 * Creates an empty meter (version 0: nothing saved yet) in the caller's workspace, audited. The name is
 * unique per workspace.
 */
export async function createMeter(scope: WorkspaceScope, raw: CreateMeterInput): Promise<{ id: string; name: string }> {
  const input = createMeterSchema.parse(raw);
  try {
    return await getPrisma().$transaction(async (tx) => {
      const meter = await tx.meter.create({
        data: { workspaceId: scope.workspaceId, name: input.name, description: input.description, createdBy: scope.actor.label, updatedBy: scope.actor.label },
        select: { id: true, name: true },
      });
      await recordAudit(tx, scope, { action: 'meter.created', targetType: 'meter', targetId: meter.id, details: { name: meter.name } });
      return meter;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('NAME_TAKEN', `A meter named “${input.name}” already exists in this workspace.`, {
        status: 409,
        fieldErrors: { name: ['Choose a name no other meter in this workspace has.'] },
      });
    }
    throw error;
  }
}
