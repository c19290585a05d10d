import { z } from 'zod';
import { FIELD_NAME_PATTERN, FIELD_TYPES, MAX_FIELD_NAME, RESERVED_FIELD_NAMES, type FieldType } from '@/lib/event-definitions/definition-schema';
import type { ValueType } from '@/lib/expressions/types';
import type { FlowField } from '@/lib/meters/flow-schema';

/** An expression's type as a field type: dates become datetime; lists, objects and unknowns become json. */
export function fieldTypeOf(type: ValueType): FieldType {
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'datetime':
      return type;
    case 'date':
      return 'datetime';
    default:
      return 'json';
  }
}

/**
 * Whether a value of type `from` may go where `to` is expected (a mapping onto a store's field). Kept
 * simple: the same type; a whole number where a number goes; anything into json; a datetime into text
 * (it is ISO 8601 text). A number does not fit a whole-number field, and text does not fit a datetime:
 * wrap it in date(…). An expression whose type the analyzer cannot tell (`any`, e.g. a value inside a
 * json field) is accepted here and checked record by record when the meter runs.
 */
export function isAssignable(from: ValueType, to: FieldType): boolean {
  if (from === 'any' || to === 'json') return true;
  const fromField = fieldTypeOf(from);
  if (fromField === to) return true;
  if (to === 'number') return fromField === 'integer';
  if (to === 'string') return fromField === 'datetime';
  return false;
}

/** Why a value of type `from` does not fit `to`, saying what to write instead. */
export function assignHint(from: ValueType, to: FieldType): string {
  const fromField = fieldTypeOf(from);
  if (to === 'datetime') return fromField === 'string' ? 'wrap it in date(…) to read the text as a time' : 'map a datetime field or date(…) of a text';
  if (to === 'integer' && fromField === 'number') return 'map a whole-number field, or change the store field’s type to number';
  if (to === 'number' && fromField === 'string') return 'wrap it in number(…)';
  if (to === 'string') return 'wrap it in string(…)';
  return `map a ${to} value`;
}

/** A field name a flow may carry: the definitions' rules, so any flow can land in a store. */
export const fieldNameSchema = z
  .string({ error: 'Enter a field name.' })
  .trim()
  .min(1, 'Enter a field name, e.g. “units”.')
  .max(MAX_FIELD_NAME, `Keep field names to ${MAX_FIELD_NAME} characters or fewer.`)
  .regex(FIELD_NAME_PATTERN, 'Use letters, digits and “_” in field names, starting with a letter or “_”.')
  .refine((name) => !RESERVED_FIELD_NAMES.has(name), { message: 'This name is reserved (every JavaScript object has it); choose another.' });

export const fieldTypeSchema = z.enum(FIELD_TYPES, { error: `Choose a type: ${FIELD_TYPES.join(', ')}.` });

export const flowFieldSchema = z.object({
  name: fieldNameSchema,
  type: fieldTypeSchema,
  required: z.boolean({ error: 'Say whether the field is required.' }).default(false),
  description: z.string().max(500, 'Keep the description to 500 characters or fewer.').optional(),
});

/** A list of flow fields whose names are unique, case-insensitively (expressions read names that way). */
export const flowFieldsSchema = z
  .array(flowFieldSchema, { error: 'Send the fields as a list.' })
  .max(200, 'A flow can have at most 200 fields.')
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((field, i) => {
      const key = field.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Another field is already named “${field.name}” (case does not count); rename one.` });
      seen.add(key);
    });
  });

/** Finds a field by name, case-insensitively, as expressions do. */
export const findField = (fields: readonly FlowField[], name: string) => {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower);
};
