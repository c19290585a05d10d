import { z } from 'zod';

// Client-safe: the definition form runs the same schema for instant feedback; the server stays the authority.

export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'datetime', 'json'] as const;
export const fieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof fieldTypeSchema>;

/** A field as stored in `event_definitions.fields`. */
export const definitionFieldSchema = z.object({
  name: z.string(),
  type: fieldTypeSchema,
  required: z.boolean(),
  description: z.string().default(''),
  /** Filters on this field use an index of its own (lib/event-store/filter-indexes.ts); absent means false. */
  indexed: z.boolean().optional(),
});
export type DefinitionField = z.infer<typeof definitionFieldSchema>;

export const MAX_FIELDS = 200;
export const MAX_FIELD_NAME = 64;
export const MAX_DESCRIPTION = 500;
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names every JavaScript object already answers to (`constructor`, `__proto__`, `toString`, …): a field so
 * named would read as present when missing, or be dropped. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
/** Types an event id may have: they compare exactly, unlike numbers or json. */
export const EVENT_ID_TYPES: readonly FieldType[] = ['string', 'integer'];
/** Types a filter index can serve: filters match exact text, numbers, booleans and times, never a json value. */
export const INDEXABLE_TYPES: readonly FieldType[] = ['string', 'integer', 'number', 'boolean', 'datetime'];
/** Indexed fields per definition: each one costs every write into `events` an index entry. */
export const MAX_INDEXED_FIELDS = 5;

/** A field as a form or API client sends it; `type` is any string so the rules can name the row. */
const fieldDraftSchema = z.object({
  name: z.string().trim(),
  type: z.string(),
  required: z.boolean({ error: 'Say whether the field is required (true or false).' }),
  description: z.string().trim().default(''),
  indexed: z.boolean({ error: 'Say whether the field is indexed for filters (true or false).' }).default(false),
});
type FieldDraft = z.infer<typeof fieldDraftSchema>;

const definitionShape = {
  name: z.string().trim().min(1, 'Give the definition a name, e.g. “API Call”.').max(80, 'Keep the name to 80 characters or fewer.'),
  description: z.string().trim().max(MAX_DESCRIPTION, `Keep the description to ${MAX_DESCRIPTION} characters or fewer.`).default(''),
  fields: z
    .array(fieldDraftSchema, { error: 'Send the fields as a list.' })
    .min(1, 'Add at least one field: the event id and the event time are fields too.')
    .max(MAX_FIELDS, `A definition can have at most ${MAX_FIELDS} fields. Split the events into two definitions.`),
  eventIdField: z.string().trim().default(''),
  eventTimeField: z.string().trim().default(''),
};

export interface DefinitionIssue {
  path: (string | number)[];
  message: string;
}

/** The rules a definition's fields and its event-id and event-time choices must satisfy, each with a message naming the row. */
export function definitionIssues(draft: { fields: FieldDraft[]; eventIdField: string; eventTimeField: string }): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const seen = new Map<string, number>();
  draft.fields.forEach((field, i) => {
    const row = `Field ${i + 1}`;
    const at = (key: keyof FieldDraft, message: string) => issues.push({ path: ['fields', i, key], message: `${row}: ${message}` });
    if (!field.name) at('name', 'enter a name, e.g. “amount”.');
    else if (field.name.length > MAX_FIELD_NAME) at('name', `keep the name to ${MAX_FIELD_NAME} characters or fewer.`);
    else if (!FIELD_NAME_PATTERN.test(field.name)) {
      at('name', `“${field.name}” is not a valid name. Use letters, digits and “_”, starting with a letter or “_”.`);
    } else if (RESERVED_FIELD_NAMES.has(field.name)) {
      at('name', `“${field.name}” is reserved (JavaScript gives every object a property of that name). Choose another name, e.g. “${field.name.replace(/^_+|_+$/g, '')}_name”.`);
    } else {
      const earlier = seen.get(field.name.toLowerCase());
      if (earlier === undefined) seen.set(field.name.toLowerCase(), i);
      else at('name', `a field named “${draft.fields[earlier]!.name}” already exists (field ${earlier + 1}). Give each field its own name; case does not count.`);
    }
    if (!fieldTypeSchema.safeParse(field.type).success) at('type', `choose a type: ${FIELD_TYPES.join(', ')}.`);
    if (field.description.length > MAX_DESCRIPTION) at('description', `keep the description to ${MAX_DESCRIPTION} characters or fewer.`);
    if (field.indexed && fieldTypeSchema.safeParse(field.type).success && !INDEXABLE_TYPES.includes(field.type as FieldType)) {
      at('indexed', `a ${field.type} field cannot be indexed: filters match text, numbers, booleans and times. Untick “Indexed”.`);
    }
  });
  const indexed = draft.fields.filter((f) => f.indexed).length;
  if (indexed > MAX_INDEXED_FIELDS) {
    issues.push({ path: ['fields'], message: `${indexed} fields are indexed; at most ${MAX_INDEXED_FIELDS} may be, since each one costs every event written a little. Keep the ones people filter on.` });
  }
  const idProblem = eventIdProblem(draft.fields, draft.eventIdField);
  if (idProblem) issues.push({ path: ['eventIdField'], message: idProblem });
  const timeProblem = eventTimeProblem(draft.fields, draft.eventTimeField);
  if (timeProblem) issues.push({ path: ['eventTimeField'], message: timeProblem });
  return issues;
}

/** Why `name` cannot be the event-id field (a required string or integer), or null when it can. */
export function eventIdProblem(fields: readonly { name: string; type: string; required: boolean }[], name: string): string | null {
  if (!name) return 'Choose the event-id field: a required string or integer field that identifies each event.';
  const index = fields.findIndex((f) => f.name === name);
  const field = fields[index];
  if (!field) return `There is no field named “${name}”. Choose the event-id field from this definition’s fields.`;
  if (!EVENT_ID_TYPES.includes(field.type as FieldType)) {
    return `The event-id field “${name}” has type ${field.type}; it must be string or integer. Choose another field or change field ${index + 1}’s type.`;
  }
  if (!field.required) return `The event-id field “${name}” must be required, since every event needs an id. Tick “Required” on field ${index + 1}.`;
  return null;
}

/**
 * Why `name` cannot be the event-time field (a required datetime), or null when it can. Stores rely on it:
 * a store cannot be created from a definition without one.
 */
export function eventTimeProblem(fields: readonly { name: string; type: string; required: boolean }[], name: string): string | null {
  if (!fields.some((f) => f.type === 'datetime')) {
    return 'Add a required datetime field for the event time: a store cannot be created from a definition without one.';
  }
  if (!name) return 'Choose the event-time field: a required datetime field that says when each event happened.';
  const index = fields.findIndex((f) => f.name === name);
  const field = fields[index];
  if (!field) return `There is no field named “${name}”. Choose the event-time field from this definition’s fields.`;
  if (field.type !== 'datetime') {
    return `The event-time field “${name}” has type ${field.type}; it must be datetime. Choose another field or change field ${index + 1}’s type.`;
  }
  if (!field.required) return `The event-time field “${name}” must be required, since every event needs a time. Tick “Required” on field ${index + 1}.`;
  return null;
}

function addIssues(draft: Parameters<typeof definitionIssues>[0], ctx: z.RefinementCtx) {
  for (const issue of definitionIssues(draft)) ctx.addIssue({ code: 'custom', ...issue });
}

/** Once the rules have passed, every field's type is one of FIELD_TYPES. */
const typed = <T extends { fields: FieldDraft[] }>(value: T) => value as Omit<T, 'fields'> & { fields: DefinitionField[] };

/** A definition's input: name, description, fields, and which fields are the event id and the event time. */
export const definitionInputSchema = z.object(definitionShape).superRefine(addIssues).transform(typed);
export type DefinitionInput = z.output<typeof definitionInputSchema>;
export type DefinitionInputRaw = z.input<typeof definitionInputSchema>;

/** The edit form's input: a definition plus its id and the version the editor started from. */
export const updateDefinitionSchema = z
  .object({
    ...definitionShape,
    id: z.string().min(1, 'Say which definition to change.'),
    expectedVersion: z.coerce.number().int().positive().optional(),
  })
  .superRefine(addIssues)
  .transform(typed);

/** The input's problems keyed by path (`fields.3.name`), as server actions report them; null when it is valid. */
export function definitionFieldErrors(raw: unknown): Record<string, string[]> | null {
  const parsed = definitionInputSchema.safeParse(raw);
  if (parsed.success) return null;
  const out: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (out[issue.path.join('.') || '_form'] ??= []).push(issue.message);
  return out;
}
