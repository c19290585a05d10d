import { z } from 'zod';
import type { DateSchedule, TriggerKind } from '@/lib/custom-events/date-triggers/date-schedule';
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
  /** What it fires on: object changes, or a date field (then `schedule` says when). */
  kind: TriggerKind;
  schedule: DateSchedule | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns of a row that toTriggerItem reads. */
type TriggerRow = Omit<TriggerItem, 'samples' | 'schedule'> & {
  samples: unknown;
  dateField: string | null;
  offsetDays: number | null;
  runAt: string | null;
  timeZone: string | null;
};

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
export function toTriggerItem(row: TriggerRow): TriggerItem {
  return {
    id: row.id,
    eventType: row.eventType,
    baseObject: row.baseObject,
    condition: row.condition,
    description: row.description,
    active: row.active,
    samples: z.array(sampleSchema).parse(row.samples),
    version: row.version,
    kind: row.kind,
    schedule: scheduleOf(row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function scheduleOf(row: TriggerRow): DateSchedule | null {
  if (row.kind !== 'date' || row.dateField === null || row.offsetDays === null || row.runAt === null || row.timeZone === null) return null;
  return { dateField: row.dateField, days: Math.abs(row.offsetDays), direction: row.offsetDays < 0 ? 'before' : 'after', time: row.runAt, timeZone: row.timeZone };
}
