import { z } from 'zod';
import { canonicalBaseObject, didYouMeanObject } from '@/lib/custom-events/condition-schema';
import { scheduleErrors, scheduleSchema, TRIGGER_KINDS } from '@/lib/custom-events/date-triggers/date-schedule';
import { CHANGE_TYPES } from '@/lib/custom-events/object-model';

// Client-safe: the trigger form runs the same rules before sending; the server stays the authority.

export const EVENT_TYPE_PATTERN = /^[A-Z][A-Za-z0-9_]{2,63}$/;
export const MAX_CONDITION = 10_000;
export const MAX_DESCRIPTION = 500;
export const MAX_SAMPLES = 50;
export const MAX_SAMPLE_NAME = 100;
/** Size of all samples as JSON: ample for 50 realistic object changes, small enough for one form post. */
export const MAX_SAMPLES_JSON = 200_000;

export const eventTypeSchema = z
  .string({ error: 'Give the trigger an event type name, e.g. InvoicePosted.' })
  .trim()
  .regex(EVENT_TYPE_PATTERN, 'Use a name like InvoicePosted: a capital letter, then letters, digits or _ (3-64 characters).');

/** A billing object name in any case, resolved to its canonical spelling (`invoice` → Invoice). */
export const baseObjectSchema = z
  .string({ error: 'Choose the billing object whose changes the trigger watches.' })
  .trim()
  .min(1, 'Choose the billing object whose changes the trigger watches.')
  .transform((name, ctx) => {
    const canonical = canonicalBaseObject(name);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: `There is no billing object “${name}”.${didYouMeanObject(name)}` });
    return z.NEVER;
  });

const WRITE_CONDITION = 'Write the condition, e.g. changed(\'Status\') && Invoice.Status == \'Posted\'.';

/** A condition's text. Required for change triggers; a date trigger's is optional (empty: every record). */
export const conditionSchema = z
  .string({ error: WRITE_CONDITION })
  .max(MAX_CONDITION, `Keep the condition to ${MAX_CONDITION.toLocaleString('en-US')} characters or fewer.`)
  .default('');

const fieldValues = z.record(z.string().max(200, 'Keep field names to 200 characters or fewer.'), z.json(), {
  error: 'Give the field values as an object, e.g. {"Status": "Posted"}.',
});

/** One test-bench case: an object change and, optionally, whether the condition should be true for it. */
export const sampleSchema = z.object({
  name: z
    .string({ error: 'Give the sample a name.' })
    .trim()
    .min(1, 'Give the sample a name.')
    .max(MAX_SAMPLE_NAME, `Keep sample names to ${MAX_SAMPLE_NAME} characters or fewer.`),
  changeType: z.enum(CHANGE_TYPES, { error: 'Choose the change type: INSERT, UPDATE or DELETE.' }),
  current: fieldValues.default({}),
  previous: fieldValues.default({}),
  expected: z.boolean({ error: 'Say whether the condition should be true (true or false), or leave it out.' }).optional(),
});
/** A sample as stored; field values are JSON values, typed loosely so editors can hold them as they are. */
export type TriggerSample = Omit<z.infer<typeof sampleSchema>, 'current' | 'previous'> & {
  current: Record<string, unknown>;
  previous: Record<string, unknown>;
};

export const samplesSchema = z
  .array(sampleSchema, { error: 'Send the samples as a list.' })
  .max(MAX_SAMPLES, `A trigger keeps at most ${MAX_SAMPLES} samples. Remove some before saving.`)
  .refine((samples) => JSON.stringify(samples).length <= MAX_SAMPLES_JSON, 'The samples are too large to save. Remove some, or shorten their values.');

const triggerShape = {
  eventType: eventTypeSchema,
  baseObject: baseObjectSchema,
  condition: conditionSchema,
  description: z.string().trim().max(MAX_DESCRIPTION, `Keep the description to ${MAX_DESCRIPTION} characters or fewer.`).default(''),
  active: z.boolean({ error: 'Say whether the trigger is active (true or false).' }).default(true),
  samples: samplesSchema.default([]),
  kind: z.enum(TRIGGER_KINDS, { error: 'Choose what the trigger fires on: "change" (an object change) or "date" (days before or after a date field).' }).default('change'),
  /** A date trigger's schedule; ignored for a change trigger. */
  schedule: scheduleSchema.nullish(),
};

/** The rules across fields: a change trigger needs a condition; a date trigger a schedule on a date field of its object. */
function crossFieldRules(input: { kind: (typeof TRIGGER_KINDS)[number]; baseObject: string; condition: string; schedule?: z.output<typeof scheduleSchema> | null }, ctx: z.RefinementCtx) {
  // After a field's own refusal its value may be anything: check only what parsed.
  if (input.kind === 'change' && typeof input.condition === 'string' && !input.condition.trim()) ctx.addIssue({ code: 'custom', path: ['condition'], message: WRITE_CONDITION });
  if (typeof input.baseObject !== 'string') return;
  for (const [key, messages] of Object.entries(scheduleErrors(input) ?? {})) {
    for (const message of messages) ctx.addIssue({ code: 'custom', path: key.split('.'), message });
  }
}

/** A trigger as lib/ and the API take it. The condition's meaning is checked on save (checkCondition). */
export const triggerInputSchema = z.object(triggerShape).superRefine(crossFieldRules);
export type TriggerInput = z.output<typeof triggerInputSchema>;
export type TriggerInputRaw = z.input<typeof triggerInputSchema>;

// Forms send text: a checkbox is "on" or absent, and the samples travel as one JSON text field.
const formCheckbox = z
  .union([z.boolean(), z.enum(['on', 'true', 'false'])], { error: 'Say whether the trigger is active.' })
  .optional()
  .transform((value) => value === true || value === 'on' || value === 'true');

const samplesJson = z
  .string()
  .max(MAX_SAMPLES_JSON * 2, 'The samples are too large to save. Remove some, or shorten their values.')
  .default('[]')
  .transform((text, ctx) => {
    if (!text.trim()) return [];
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'The samples could not be read (they are not valid JSON). Reload the page and try again.' });
      return z.NEVER;
    }
  })
  .pipe(samplesSchema);

const formShape = { ...triggerShape, active: formCheckbox, samples: samplesJson };

/**
 * The form sends a date trigger's schedule as flat fields named `schedule.dateField`, `schedule.days`, …
 * (so a refusal's field key is the input's name); they become one `schedule` object, for date triggers only.
 */
function nestSchedule(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const flat: Record<string, unknown> = {};
  const schedule: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('schedule.')) schedule[key.slice('schedule.'.length)] = value;
    else flat[key] = value;
  }
  return flat.kind === 'date' && !('schedule' in flat) ? { ...flat, schedule } : flat;
}

/** The new-trigger form's fields. */
export const createTriggerFormSchema = z.preprocess(nestSchedule, z.object(formShape).superRefine(crossFieldRules));

/** The edit form's fields: a trigger plus its id and the version the editor started from. */
export const updateTriggerFormSchema = z.preprocess(
  nestSchedule,
  z
    .object({
      ...formShape,
      id: z.string().min(1, 'Say which trigger to change.'),
      expectedVersion: z.coerce.number().int().positive().optional(),
    })
    .superRefine(crossFieldRules),
);
