import { describe, expect, it } from 'vitest';
import {
  createTriggerFormSchema,
  MAX_SAMPLES,
  triggerInputSchema,
  updateTriggerFormSchema,
  type TriggerInputRaw,
} from '@/lib/custom-events/triggers/trigger-schema';

const valid: TriggerInputRaw = { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" };
const sample = { name: 'posted', changeType: 'UPDATE', current: { Status: 'Posted' }, previous: { Status: 'Draft' }, expected: true };

function errorsOf(schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown) {
  const parsed = schema.safeParse(raw);
  const out: Record<string, string[]> = {};
  for (const issue of parsed.error?.issues ?? []) (out[issue.path.join('.')] ??= []).push(issue.message);
  return out;
}

describe('triggerInputSchema', () => {
  it('fills defaults: empty description, active, no samples, fires on changes', () => {
    expect(triggerInputSchema.parse(valid)).toEqual({ ...valid, description: '', active: true, samples: [], kind: 'change' });
  });

  it('needs a condition for a change trigger, and for a date trigger a schedule instead (its condition is optional)', () => {
    expect(errorsOf(triggerInputSchema, { ...valid, condition: '  ' })).toEqual({ condition: ["Write the condition, e.g. changed('Status') && Invoice.Status == 'Posted'."] });
    const schedule = { dateField: 'DueDate', days: 3, direction: 'after', time: '09:30', timeZone: 'UTC' };
    expect(triggerInputSchema.safeParse({ ...valid, condition: '', kind: 'date', schedule }).success).toBe(true);
    expect(Object.keys(errorsOf(triggerInputSchema, { ...valid, kind: 'date' }) ?? {})).toEqual(['schedule']);
    expect(errorsOf(triggerInputSchema, { ...valid, kind: 'date', schedule: { ...schedule, days: -1, direction: 'later' } })).toEqual({
      'schedule.days': ['Give the number of days, a whole number from 0 to 3,650.'],
      'schedule.direction': ['Say whether the trigger fires before or after the date.'],
    });
  });

  it('reads the form’s flat schedule fields (named schedule.dateField, …) as one schedule, for date triggers only', () => {
    const form = { eventType: 'InvoiceDue', baseObject: 'Invoice', condition: '', kind: 'date', 'schedule.dateField': 'duedate', 'schedule.days': '3', 'schedule.direction': 'before', 'schedule.time': '06:00', 'schedule.timeZone': 'Europe/Paris' };
    expect(createTriggerFormSchema.parse(form)).toMatchObject({ kind: 'date', schedule: { dateField: 'duedate', days: 3, direction: 'before', time: '06:00', timeZone: 'Europe/Paris' } });
    expect(createTriggerFormSchema.parse({ ...form, kind: 'change', condition: 'true' }).schedule).toBeUndefined();
    expect(errorsOf(createTriggerFormSchema, { ...form, 'schedule.dateField': '' })).toEqual({ 'schedule.dateField': ['Choose the date field the trigger counts from, e.g. TermEndDate.'] });
    expect(errorsOf(createTriggerFormSchema, { ...form, 'schedule.dateField': 'Status' })).toEqual({
      'schedule.dateField': ['Invoice.Status is a string, not a date. Choose one of its date fields: InvoiceDate, DueDate, TargetDate, PostedDate, LastEmailSentDate, CreatedDate, UpdatedDate.'],
    });
  });

  it('accepts event type names of 3 to 64 characters that start with a capital letter', () => {
    for (const ok of ['Inv', 'InvoicePosted', 'Invoice_Posted_2', `A${'b'.repeat(63)}`]) {
      expect(triggerInputSchema.safeParse({ ...valid, eventType: ok }).success, ok).toBe(true);
    }
    const message = 'Use a name like InvoicePosted: a capital letter, then letters, digits or _ (3-64 characters).';
    for (const bad of ['invoicePosted', 'In', 'Invoice Posted', 'Invoice-Posted', `A${'b'.repeat(64)}`, '_Invoice', '']) {
      expect(errorsOf(triggerInputSchema, { ...valid, eventType: bad }), bad).toEqual({ eventType: [message] });
    }
  });

  it('resolves the base object case-insensitively to its canonical name and suggests one for a typo', () => {
    expect(triggerInputSchema.parse({ ...valid, baseObject: ' productrateplan ' }).baseObject).toBe('ProductRatePlan');
    expect(errorsOf(triggerInputSchema, { ...valid, baseObject: 'Invocie' })).toEqual({
      baseObject: ['There is no billing object “Invocie”. Did you mean Invoice?'],
    });
    expect(errorsOf(triggerInputSchema, { ...valid, baseObject: 'Zebra' })).toEqual({ baseObject: ['There is no billing object “Zebra”.'] });
    expect(errorsOf(triggerInputSchema, { ...valid, baseObject: '' }).baseObject).toEqual(['Choose the billing object whose changes the trigger watches.']);
  });

  it('needs a condition of 1 to 10,000 characters, kept as written, and a description of at most 500', () => {
    expect(triggerInputSchema.parse({ ...valid, condition: ' x == 1 ' }).condition).toBe(' x == 1 ');
    expect(Object.keys(errorsOf(triggerInputSchema, { ...valid, condition: '   ' }))).toEqual(['condition']);
    expect(errorsOf(triggerInputSchema, { ...valid, condition: 'x'.repeat(10_001) }).condition).toEqual(['Keep the condition to 10,000 characters or fewer.']);
    expect(triggerInputSchema.safeParse({ ...valid, condition: 'x'.repeat(10_000) }).success).toBe(true);
    expect(errorsOf(triggerInputSchema, { ...valid, description: 'd'.repeat(501) }).description).toEqual(['Keep the description to 500 characters or fewer.']);
  });

  it('checks each sample: a name, INSERT/UPDATE/DELETE, field values as objects, an optional true/false expectation', () => {
    expect(triggerInputSchema.parse({ ...valid, samples: [sample, { name: 'new', changeType: 'INSERT' }] }).samples).toEqual([
      sample,
      { name: 'new', changeType: 'INSERT', current: {}, previous: {} },
    ]);
    const errors = errorsOf(triggerInputSchema, {
      ...valid,
      samples: [sample, { name: ' ', changeType: 'UPSERT', current: [1], expected: 'yes' }],
    });
    expect(errors).toEqual({
      'samples.1.name': ['Give the sample a name.'],
      'samples.1.changeType': ['Choose the change type: INSERT, UPDATE or DELETE.'],
      'samples.1.current': ['Give the field values as an object, e.g. {"Status": "Posted"}.'],
      'samples.1.expected': ['Say whether the condition should be true (true or false), or leave it out.'],
    });
  });

  it(`keeps at most ${MAX_SAMPLES} samples`, () => {
    const samples = (n: number) => Array.from({ length: n }, (_, i) => ({ ...sample, name: `s${i}` }));
    expect(triggerInputSchema.safeParse({ ...valid, samples: samples(MAX_SAMPLES) }).success).toBe(true);
    expect(errorsOf(triggerInputSchema, { ...valid, samples: samples(MAX_SAMPLES + 1) })).toEqual({
      samples: [`A trigger keeps at most ${MAX_SAMPLES} samples. Remove some before saving.`],
    });
  });
});

describe('the trigger forms', () => {
  const form = { ...valid, description: '', samples: JSON.stringify([sample]) };

  it('read the active checkbox as "on" or "true", and its absence as inactive', () => {
    expect(createTriggerFormSchema.parse({ ...form, active: 'on' }).active).toBe(true);
    expect(createTriggerFormSchema.parse({ ...form, active: 'true' }).active).toBe(true);
    expect(createTriggerFormSchema.parse({ ...form, active: 'false' }).active).toBe(false);
    expect(createTriggerFormSchema.parse(form).active).toBe(false);
  });

  it('read the samples from one JSON text field; empty or absent means none', () => {
    expect(createTriggerFormSchema.parse(form).samples).toEqual([sample]);
    expect(createTriggerFormSchema.parse({ ...form, samples: '' }).samples).toEqual([]);
    expect(createTriggerFormSchema.parse({ ...valid }).samples).toEqual([]);
    expect(errorsOf(createTriggerFormSchema, { ...form, samples: '[{' })).toEqual({
      samples: ['The samples could not be read (they are not valid JSON). Reload the page and try again.'],
    });
    expect(Object.keys(errorsOf(createTriggerFormSchema, { ...form, samples: '[{"name": "x"}]' }))).toEqual(['samples.0.changeType']);
  });

  it('edit: needs the id and reads the version the editor started from', () => {
    expect(updateTriggerFormSchema.parse({ ...form, id: 'abc', expectedVersion: '3' })).toMatchObject({ id: 'abc', expectedVersion: 3 });
    expect(Object.keys(errorsOf(updateTriggerFormSchema, form))).toEqual(['id']);
  });
});
