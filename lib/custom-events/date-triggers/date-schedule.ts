import { z } from 'zod';
import { BILLING_OBJECTS, findField, findObject, type ObjectField } from '@/lib/custom-events/object-model';
import { suggest } from '@/lib/text/suggest';

// Client-safe: the trigger form runs these rules before sending; the server runs them on save.

export const TRIGGER_KINDS = ['change', 'date'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];
export const MAX_OFFSET_DAYS = 3_650;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The IANA zone's canonical name (`europe/paris` → Europe/Paris), or null for a name Intl does not know. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A date trigger's schedule as the API and lib/ take it: N days before or after a date field, at a local time. */
export const scheduleSchema = z.object({
  dateField: z.string({ error: 'Choose the date field the trigger counts from, e.g. TermEndDate.' }).trim().min(1, 'Choose the date field the trigger counts from, e.g. TermEndDate.'),
  days: z.coerce
    .number({ error: `Give the number of days, a whole number from 0 to ${MAX_OFFSET_DAYS.toLocaleString('en-US')}.` })
    .int(`Give the number of days, a whole number from 0 to ${MAX_OFFSET_DAYS.toLocaleString('en-US')}.`)
    .min(0, `Give the number of days, a whole number from 0 to ${MAX_OFFSET_DAYS.toLocaleString('en-US')}.`)
    .max(MAX_OFFSET_DAYS, `Give the number of days, a whole number from 0 to ${MAX_OFFSET_DAYS.toLocaleString('en-US')}.`),
  direction: z.enum(['before', 'after'], { error: 'Say whether the trigger fires before or after the date.' }),
  time: z.string({ error: 'Give the local time it runs each day, e.g. 06:00.' }).regex(TIME_PATTERN, 'Give the local time it runs each day as HH:MM (24 hours), e.g. 06:00.'),
  timeZone: z
    .string({ error: 'Choose the time zone, e.g. Europe/Paris.' })
    .trim()
    .transform((name, ctx) => {
      const canonical = name ? canonicalTimeZone(name) : null;
      if (canonical) return canonical;
      ctx.addIssue({ code: 'custom', message: `“${name}” is not a time zone name. Use an IANA name such as Europe/Paris, America/New_York or UTC.` });
      return z.NEVER;
    }),
});
export type DateSchedule = z.output<typeof scheduleSchema>;

/** The fields a date trigger on `baseObject` can count from: its date and datetime fields. */
export function dateFieldsOf(baseObject: string): ObjectField[] {
  const object = findObject(BILLING_OBJECTS, baseObject);
  return object ? object.fields.filter((f) => f.type === 'date' || f.type === 'datetime') : [];
}

/**
 * Why a trigger's kind and schedule cannot be saved, keyed by field (`schedule`, `schedule.dateField`), or
 * null. The date field must be a date or datetime field of the base object (any case; canonicalDateField
 * gives its spelling).
 */
export function scheduleErrors(input: { kind: TriggerKind; baseObject: string; schedule?: DateSchedule | null }): Record<string, string[]> | null {
  if (input.kind !== 'date') return null;
  if (!input.schedule) return { schedule: ['A date trigger needs its schedule: the date field, the days before or after it, the time and the time zone.'] };
  const object = findObject(BILLING_OBJECTS, input.baseObject);
  // After the schedule's own refusal (no field chosen) its value may be anything: nothing more to say.
  if (!object || typeof input.schedule.dateField !== 'string' || !input.schedule.dateField.trim()) return null;
  const field = findField(object, input.schedule.dateField);
  const dateFields = dateFieldsOf(object.name).map((f) => f.name);
  if (!field) {
    const hints = suggest(input.schedule.dateField, dateFields);
    const hint = hints.length ? ` Did you mean ${hints.join(' or ')}?` : ` Its date fields: ${dateFields.join(', ')}.`;
    return { 'schedule.dateField': [`${object.name} has no field “${input.schedule.dateField}”.${hint}`] };
  }
  if (field.type !== 'date' && field.type !== 'datetime') {
    return { 'schedule.dateField': [`${object.name}.${field.name} is a ${field.type}, not a date. Choose one of its date fields: ${dateFields.join(', ')}.`] };
  }
  return null;
}

/** The date field's canonical spelling (`termenddate` → TermEndDate); the name as given when unknown. */
export const canonicalDateField = (baseObject: string, name: string) => dateFieldsOf(baseObject).find((f) => f.name.toLowerCase() === name.toLowerCase())?.name ?? name;

/** Days from the date to the firing, as stored (negative: before). */
export const offsetDaysOf = (schedule: DateSchedule) => (schedule.direction === 'before' ? -schedule.days : schedule.days);

/** "30 days before Subscription.TermEndDate, at 06:00 Europe/Paris". */
export function describeSchedule(baseObject: string, schedule: DateSchedule): string {
  const days = schedule.days === 0 ? 'On' : `${schedule.days} day${schedule.days === 1 ? '' : 's'} ${schedule.direction}`;
  return `${days} ${baseObject}.${schedule.dateField}, at ${schedule.time} ${schedule.timeZone}`;
}
