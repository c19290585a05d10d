import { describe, expect, it } from 'vitest';
import { BASE_OBJECT_NAMES, canonicalBaseObject, conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import { BILLING_OBJECTS } from '@/lib/custom-events/object-model';
import { AppError } from '@/lib/errors';
import { analyze } from '@/lib/expressions';

describe('conditionSchemaFor', () => {
  it('gives an object-change schema on the canonical base object over the 14 billing objects', () => {
    const schema = conditionSchemaFor('INVOICE');
    expect(schema).toMatchObject({ kind: 'objectChange', baseObject: 'Invoice' });
    expect(schema.objects).toBe(BILLING_OBJECTS);
    expect(BASE_OBJECT_NAMES).toHaveLength(14);
  });

  it('gives the same schema object for the same base object, so analysis and compilation stay cached', () => {
    expect(conditionSchemaFor('invoice')).toBe(conditionSchemaFor('Invoice'));
    expect(conditionSchemaFor('Account')).not.toBe(conditionSchemaFor('Invoice'));
  });

  it('refuses an unknown object, naming the closest ones', () => {
    expect(() => conditionSchemaFor('Invocie')).toThrow(AppError);
    expect(() => conditionSchemaFor('Invocie')).toThrow('There is no billing object “Invocie”. Did you mean Invoice?');
    expect(canonicalBaseObject(' ratePLANcharge ')).toBe('RatePlanCharge');
    expect(canonicalBaseObject('Nothing')).toBeNull();
  });

  it("adds a workspace's custom fields, which conditions can then use with _old on the base object", () => {
    const condition = 'Invoice.SyncedToErpBatch__c_old != Invoice.SyncedToErpBatch__c';
    expect(analyze(condition, conditionSchemaFor('Invoice')).diagnostics.map((d) => d.code)).toContain('UNKNOWN_FIELD');
    const schema = conditionSchemaFor('Invoice', { invoice: [{ name: 'SyncedToErpBatch__c', type: 'string', description: 'The ERP batch.' }] });
    expect(analyze(condition, schema).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(conditionSchemaFor('Invoice').objects).toBe(BILLING_OBJECTS);
  });
});
