import type { ObjectChangeSchema, SchemaField, SchemaObject } from '@/lib/expressions/schema';
import { baseObjectOf, OLD_SUFFIX } from '@/lib/expressions/schema';

export type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE';

/** A saved test-bench case: the regression cases that stay with a trigger. */
export interface TriggerSample {
  name: string;
  changeType: ChangeType;
  current: Record<string, unknown>;
  previous: Record<string, unknown>;
  expected?: boolean;
}

/** A plausible value per field, so a new bench is runnable at once. */
export function sampleValue(field: SchemaField): unknown {
  if (field.picklist?.length) return field.picklist[0];
  switch (field.type) {
    case 'number':
      return 0;
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'datetime':
      return new Date().toISOString().slice(0, 19) + 'Z';
    default:
      return field.name === 'Id' || field.name.endsWith('Id') ? `${field.name.toUpperCase()}-1` : '';
  }
}

export function defaultValues(object: SchemaObject | undefined): Record<string, unknown> {
  return Object.fromEntries((object?.fields ?? []).map((f) => [f.name, sampleValue(f)]));
}

/** Text typed into a bench input → the field's value (empty is null; numbers and booleans typed). */
export function parseInput(field: SchemaField, text: string): unknown {
  if (text === '') return null;
  if (field.type === 'number' || field.type === 'integer') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (field.type === 'boolean') return text === 'true';
  return text;
}

export function formatInput(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * The context a trigger sees for this case: `changeType`, and the base object with each field and its
 * `_old` value: null on INSERT, the previous value on UPDATE, the last value on DELETE.
 */
export function contextOf(schema: ObjectChangeSchema, sample: Pick<TriggerSample, 'changeType' | 'current' | 'previous'>): Record<string, unknown> {
  const base = baseObjectOf(schema);
  const object: Record<string, unknown> = {};
  for (const field of base?.fields ?? []) {
    const current = sample.current[field.name] ?? null;
    object[field.name] = current;
    object[`${field.name}${OLD_SUFFIX}`] = sample.changeType === 'INSERT' ? null : sample.changeType === 'DELETE' ? current : (sample.previous[field.name] ?? null);
  }
  return { changeType: sample.changeType, [base?.name ?? schema.baseObject]: object };
}
