import type pg from 'pg';
import { z } from 'zod';
import { conditionContext, type ObjectChange } from '@/lib/custom-events/changes/object-change';
import { conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import { assertConditionSaveable } from '@/lib/custom-events/triggers/check-condition';
import { baseObjectSchema, conditionSchema } from '@/lib/custom-events/triggers/trigger-schema';
import { compile } from '@/lib/expressions/compile';
import { explain, type ExplainNode } from '@/lib/expressions/explain';

/** The look-back windows offered, in days. */
export const SIMULATION_WINDOWS = [1, 7, 30, 90] as const;
/** Changes read per keyset page. */
export const SIMULATION_PAGE = 2_000;
/** At most this many changes are evaluated per simulation (the newest); the answer says when it stopped there. */
export const MAX_SIMULATED_CHANGES = 50_000;
/** Examples of each outcome shown with their explain trees. */
export const SIMULATION_EXAMPLES = 3;

export const simulationInputSchema = z.object({
  baseObject: baseObjectSchema,
  condition: conditionSchema.refine((s) => s.trim().length > 0, 'Write a condition to simulate.'),
  days: z.coerce
    .number({ error: 'Choose how far back to look: 1, 7, 30 or 90 days.' })
    .refine((d): d is (typeof SIMULATION_WINDOWS)[number] => (SIMULATION_WINDOWS as readonly number[]).includes(d), 'Choose how far back to look: 1, 7, 30 or 90 days.'),
});
export type SimulationInput = z.input<typeof simulationInputSchema>;

export interface SimulationExample {
  changeId: string;
  recordId: string;
  changeType: ObjectChange['changeType'];
  changedAt: string;
  explanation: ExplainNode;
}

export interface SimulationResult {
  baseObject: string;
  days: number;
  /** The window's start (inclusive) and end, ISO. */
  from: string;
  to: string;
  /** Changes of the object evaluated, and of those, the ones the condition is true for. */
  evaluated: number;
  matched: number;
  /** Per UTC day of the window, oldest first, every day present (0 when none). */
  perDay: { day: string; evaluated: number; matched: number }[];
  /** When the cap was reached: the oldest change time evaluated (older ones in the window were not). */
  cappedAt: string | null;
  matching: SimulationExample[];
  notMatching: SimulationExample[];
}

interface ChangeRow {
  id: string;
  record_id: string;
  change_type: ObjectChange['changeType'];
  current: ObjectChange['current'];
  previous: ObjectChange['previous'];
  changed_at: Date;
}

/**
 * How often a draft condition (not saved) would have fired: evaluates it over the workspace's stored changes of
 * the base object in the last `days` days, newest first, in keyset pages on (changed_at, id), at most
 * MAX_SIMULATED_CHANGES. Counts per UTC day, and a few matching and non-matching changes (the newest) with
 * the explain tree of the condition against each. A condition with errors is refused as on save.
 */
export async function simulateCondition(
  pool: pg.Pool,
  workspaceId: string,
  raw: SimulationInput,
  { now = new Date(), maxChanges = MAX_SIMULATED_CHANGES, pageSize = SIMULATION_PAGE }: { now?: Date; maxChanges?: number; pageSize?: number } = {},
): Promise<SimulationResult> {
  const input = simulationInputSchema.parse(raw);
  assertConditionSaveable(input.condition, input.baseObject);
  const schema = conditionSchemaFor(input.baseObject);
  const test = compile(input.condition, schema);
  const to = now;
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (input.days - 1)));
  const perDay = new Map<string, { day: string; evaluated: number; matched: number }>();
  for (let d = new Date(from); d <= to; d = new Date(d.getTime() + 86_400_000)) {
    const day = d.toISOString().slice(0, 10);
    perDay.set(day, { day, evaluated: 0, matched: 0 });
  }
  const result: SimulationResult = { baseObject: input.baseObject, days: input.days, from: from.toISOString(), to: to.toISOString(), evaluated: 0, matched: 0, perDay: [], cappedAt: null, matching: [], notMatching: [] };
  let cursor = null as { at: Date; id: string } | null;
  const page = (limit: number) =>
    pool.query<ChangeRow>(
      `SELECT id::text, record_id, change_type, current, previous, changed_at FROM object_changes
        WHERE workspace_id = $1::uuid AND object = $2 AND changed_at >= $3 AND changed_at <= $4
          AND ($5::timestamptz IS NULL OR (changed_at, id) < ($5::timestamptz, $6::bigint))
        ORDER BY changed_at DESC, id DESC LIMIT $7`,
      [workspaceId, input.baseObject, from, to, cursor?.at ?? null, cursor?.id ?? null, limit],
    );
  for (;;) {
    const limit = Math.min(pageSize, maxChanges - result.evaluated);
    const { rows } = await page(limit);
    for (const row of rows) {
      const change: ObjectChange = { object: input.baseObject, recordId: row.record_id, changeType: row.change_type, current: row.current, previous: row.previous, time: row.changed_at.toISOString() };
      const context = conditionContext(change);
      const matched = Boolean(safely(test, context));
      result.evaluated += 1;
      if (matched) result.matched += 1;
      const bucket = perDay.get(change.time.slice(0, 10));
      if (bucket) {
        bucket.evaluated += 1;
        if (matched) bucket.matched += 1;
      }
      const examples = matched ? result.matching : result.notMatching;
      if (examples.length < SIMULATION_EXAMPLES) {
        examples.push({ changeId: row.id, recordId: row.record_id, changeType: row.change_type, changedAt: change.time, explanation: explain(input.condition, context, schema) });
      }
    }
    const last = rows.at(-1);
    if (rows.length < limit || !last) break;
    cursor = { at: last.changed_at, id: last.id };
    if (result.evaluated >= maxChanges) {
      // Capped only if the window holds more than was evaluated.
      if ((await page(1)).rows.length) result.cappedAt = last.changed_at.toISOString();
      break;
    }
  }
  result.perDay = [...perDay.values()];
  return result;
}

// A condition never fails on data (lib/expressions); should one throw anyway, that change does not match.
function safely(test: (context: unknown) => unknown, context: unknown): unknown {
  try {
    return test(context);
  } catch {
    return false;
  }
}
