import { z } from 'zod';
import { sampleSchema, type TriggerSample } from '@/lib/custom-events/triggers/trigger-schema';
import { getPrisma } from '@/lib/db/prisma';

export interface TriggerItem {
  id: string;
  eventType: string;
  baseObject: string;
  condition: string;
  description: string;
  active: boolean;
  /** The test bench's cases, kept with the trigger as its regression cases. */
  samples: TriggerSample[];
  /** Raised by every saved change. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The workspace's triggers, by base object, then event type. */
export async function listTriggers(workspaceId: string): Promise<TriggerItem[]> {
  const rows = await getPrisma().trigger.findMany({ where: { workspaceId }, orderBy: [{ baseObject: 'asc' }, { eventType: 'asc' }] });
  return rows.map(toTriggerItem);
}

/**
 * One trigger of the workspace, or null. A trigger of another workspace, or a malformed id, is null exactly
 * like a missing one, so ids cannot be probed.
 */
export async function getTrigger(workspaceId: string, id: string): Promise<TriggerItem | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await getPrisma().trigger.findFirst({ where: { id, workspaceId } });
  return row ? toTriggerItem(row) : null;
}

/** A trigger row as pages and the API show it; the samples column is checked (JSON carries no type). */
export function toTriggerItem(row: Omit<TriggerItem, 'samples'> & { samples: unknown }): TriggerItem {
  return {
    id: row.id,
    eventType: row.eventType,
    baseObject: row.baseObject,
    condition: row.condition,
    description: row.description,
    active: row.active,
    samples: z.array(sampleSchema).parse(row.samples),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
