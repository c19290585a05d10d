import { describe, expect, it } from 'vitest';
import { assertConditionSaveable, characterRange, checkCondition, triggerFormErrors } from '@/lib/custom-events/triggers/check-condition';
import { AppError } from '@/lib/errors';

const failure = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (error) {
    return error as AppError;
  }
};

describe('characterRange', () => {
  it('names characters 1-based and inclusive', () => {
    expect(characterRange({ start: 8, end: 14 })).toBe('Character 9-14');
    expect(characterRange({ start: 5, end: 6 })).toBe('Character 6');
    expect(characterRange({ start: 0, end: 0 })).toBe('Character 1');
  });
});

describe('checkCondition', () => {
  it('lists each error with its characters, against the base object given in any case', () => {
    const check = checkCondition("Account.Name_old == 'x' && Invocie.Status == 'Posted'", 'invoice');
    expect(check.errors).toEqual([
      'Character 9-16: Previous values (_old) exist only on the object whose change is checked, Invoice; Account is a related object, so Account.Name_old is always empty.',
      'Character 28-34: There is no object or value named “Invocie”. Did you mean “Invoice”?',
    ]);
    expect(check.diagnostics.map((d) => d.code)).toEqual(['OLD_ON_RELATED_OBJECT', 'UNKNOWN_OBJECT']);
  });

  it('requires true or false', () => {
    expect(checkCondition('Invoice.Amount', 'Invoice').errors).toEqual([
      "Character 1-14: A condition must be true or false, but this gives a number. Compare it with something, e.g. … > 0 or … == 'Posted'.",
    ]);
  });

  it('lets warnings and notes through', () => {
    const check = checkCondition("invoice.Status_old != 'Posted' && Invoice.Status == 'Posted'", 'Invoice');
    expect(check.errors).toEqual([]);
    expect(check.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['info', 'NON_CANONICAL_NAME'],
      ['warning', 'OLD_WITHOUT_UPDATE'],
    ]);
  });
});

describe('assertConditionSaveable', () => {
  it('refuses a condition with errors on the condition field, with the diagnostics as details', () => {
    const error = failure(() => assertConditionSaveable("Invoice.Stauts == 'Posted'", 'Invoice'));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'INVALID_CONDITION',
      status: 400,
      userMessage: 'The condition has an error; fix it before saving.',
      fieldErrors: { condition: ['Character 9-14: Invoice has no field named “Stauts”. Did you mean “Status”?'] },
      details: { diagnostics: [{ start: 8, end: 14, severity: 'error', code: 'UNKNOWN_FIELD' }] },
    });
    expect(failure(() => assertConditionSaveable('(1 + 2', 'Invoice'))?.fieldErrors.condition).toEqual(['Character 6: The “(” at 1 is never closed with “)”.']);
    expect(failure(() => assertConditionSaveable("x == 1 && Invocie.Id == ''", 'Invoice'))?.userMessage).toBe('The condition has 2 errors; fix them before saving.');
  });

  it('saves a condition whose only findings are warnings', () => {
    expect(failure(() => assertConditionSaveable("Invoice.Status_old != 'Posted' && Invoice.Status == 'Posted'", 'Invoice'))).toBeNull();
  });
});

describe('triggerFormErrors', () => {
  const form = { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'", samples: '[]' };

  it('is null for a form the server would accept', () => {
    expect(triggerFormErrors(form)).toBeNull();
  });

  it('gives the input rules and the condition errors, keyed by field', () => {
    expect(triggerFormErrors({ ...form, eventType: 'x', condition: 'Invoice.Stauts == 1' })).toEqual({
      eventType: ['Use a name like InvoicePosted: a capital letter, then letters, digits or _ (3-64 characters).'],
      condition: ['Character 9-14: Invoice has no field named “Stauts”. Did you mean “Status”?'],
    });
  });

  it('checks the condition against the chosen base object, and not at all while that is unknown', () => {
    const onUpdate = { ...form, condition: "changeType == 'UPDATE' && Invoice.Status_old == 'Draft'" };
    expect(triggerFormErrors(onUpdate)).toBeNull();
    expect(triggerFormErrors({ ...onUpdate, baseObject: 'Account' })?.condition?.[0]).toMatch(/^Character 35-44: Previous values \(_old\) exist only on the object whose change is checked, Account;/);
    expect(triggerFormErrors({ ...form, baseObject: 'Nope' })).toEqual({ baseObject: ['There is no billing object “Nope”.'] });
  });
});
