import { toMillis } from '@/lib/expressions/functions';
import type { FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import type { RejectedRecord } from '@/lib/meters/kind-spec';
import type { MeterNode } from '@/lib/meters/graph';
import { findField } from '@/lib/meters/kinds/field-types';
import { configError } from '@/lib/meters/kinds/node-problems';
import type { MeterProblem } from '@/lib/meters/problems';

/** Problems of `names` (key or group-by fields) that do not reach the node. */
export function missingFieldProblems(node: MeterNode, names: readonly string[], input: FlowSchema, key: string, what: string): MeterProblem[] {
  const problems: MeterProblem[] = [];
  names.forEach((name, i) => {
    if (!findField(input.fields, name)) problems.push(configError(node, `${what} “${name}” does not reach this node. Choose one of the incoming fields.`, [key, i]));
  });
  return problems;
}

/** The problem of a time field that is not chosen, not incoming, or not a datetime; null when it is fine. */
export function timeFieldProblem(node: MeterNode, name: string, input: FlowSchema): MeterProblem | null {
  const datetimes = input.fields.filter((f) => f.type === 'datetime').map((f) => `“${f.name}”`);
  const offer = datetimes.length ? `Choose one of ${datetimes.join(', ')}.` : 'No datetime field reaches this node; add one upstream (Map: date(…)).';
  if (!name) return configError(node, `choose the time field. ${offer}`, ['timeField']);
  const field = findField(input.fields, name);
  if (!field) return configError(node, `the time field “${name}” does not reach this node. ${offer}`, ['timeField']);
  if (field.type !== 'datetime') return configError(node, `the time field “${name}” is ${field.type}, not a datetime. ${offer}`, ['timeField']);
  return null;
}

/** A record's time in epoch milliseconds, or null when it has none (ISO 8601 text or epoch milliseconds). */
export function recordTime(value: unknown): number | null {
  const ms = toMillis(value);
  return ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15 ? null : ms;
}

/** A stable key of a record's values at `names` (missing values group together as null). */
export function keyOf(record: Record<string, unknown>, names: readonly string[]): string {
  if (names.length === 1) {
    const v = Object.hasOwn(record, names[0]!) ? record[names[0]!] : null;
    return typeof v === 'string' ? `s${v}` : JSON.stringify(v ?? null);
  }
  return JSON.stringify(names.map((n) => (Object.hasOwn(record, n) ? record[n] : null) ?? null));
}

/** Each record with its time at `field`; a record without one is rejected, with `why` the time matters. */
export function withTimes(records: readonly FlowRecord[], field: string, why: string): { timed: { record: FlowRecord; time: number }[]; rejected: RejectedRecord[] } {
  const timed: { record: FlowRecord; time: number }[] = [];
  const rejected: RejectedRecord[] = [];
  for (const record of records) {
    const time = recordTime(Object.hasOwn(record, field) ? record[field] : undefined);
    if (time === null) rejected.push({ record, reason: `“${field}” is missing or not a date and time, so ${why}.` });
    else timed.push({ record, time });
  }
  return { timed, rejected };
}
