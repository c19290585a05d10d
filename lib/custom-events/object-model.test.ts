import { describe, expect, it } from 'vitest';
import {
  BILLING_OBJECTS,
  CHANGE_TYPES,
  findField,
  findObject,
  suggest,
  withCustomFields,
  type BillingObject,
  type ObjectField,
} from '@/lib/custom-events/object-model';
import { cpuMsSince } from '@/lib/testing/cpu-time';

const OBJECT_NAMES = [
  'Account', 'Contact', 'Subscription', 'RatePlan', 'RatePlanCharge', 'Product', 'ProductRatePlan',
  'Order', 'Invoice', 'InvoiceItem', 'Payment', 'PaymentMethod', 'CreditMemo', 'Usage',
];
const TYPES = ['string', 'number', 'integer', 'boolean', 'date', 'datetime'];

const objectNamed = (name: string): BillingObject => {
  const found = findObject(BILLING_OBJECTS, name);
  if (!found) throw new Error(`no object ${name}`);
  return found;
};
const fieldNames = (name: string) => objectNamed(name).fields.map((field) => field.name);
const customField = (name: string, type: ObjectField['type'] = 'string'): ObjectField => ({ name, type, description: 'A custom field.' });

describe('BILLING_OBJECTS', () => {
  it('has the 14 billing objects, each described, with 12 to 30 fields of known types', () => {
    expect(BILLING_OBJECTS.map((o) => o.name)).toEqual(OBJECT_NAMES);
    for (const o of BILLING_OBJECTS) {
      expect(o.description.length, o.name).toBeGreaterThan(20);
      expect(o.fields.length, o.name).toBeGreaterThanOrEqual(12);
      expect(o.fields.length, o.name).toBeLessThanOrEqual(30);
      for (const field of o.fields) {
        expect(TYPES, `${o.name}.${field.name}`).toContain(field.type);
        expect(field.description, `${o.name}.${field.name}`).toMatch(/^[A-Z].{3,}\.$/);
      }
    }
  });

  it('gives every object an Id string field and unique field names, case-insensitively', () => {
    for (const o of BILLING_OBJECTS) {
      expect(findField(o, 'Id'), o.name).toMatchObject({ name: 'Id', type: 'string' });
      const lower = o.fields.map((field) => field.name.toLowerCase());
      expect(new Set(lower).size, o.name).toBe(lower.length);
    }
  });

  it('uses identifier names; only custom fields end in __c and none in _old (that suffix is the previous value)', () => {
    for (const o of BILLING_OBJECTS) {
      expect(o.name).toMatch(/^[A-Z][A-Za-z]*$/);
      for (const field of o.fields) {
        expect(field.name).toMatch(/^[A-Z][A-Za-z0-9_]*$/);
        expect(field.name.toLowerCase().endsWith('_old'), field.name).toBe(false);
        expect(field.name.endsWith('__c'), `${o.name}.${field.name}`).toBe(field.custom === true);
      }
    }
  });

  it('types ids as strings, amounts as numbers, counts as integers, days as dates and timestamps as datetimes', () => {
    const type = (object: string, field: string) => findField(objectNamed(object), field)?.type;
    expect(type('Invoice', 'AccountId')).toBe('string');
    expect(type('Invoice', 'Amount')).toBe('number');
    expect(type('Account', 'BillCycleDay')).toBe('integer');
    expect(type('Invoice', 'DueDate')).toBe('date');
    expect(type('Invoice', 'CreatedDate')).toBe('datetime');
    expect(type('Usage', 'StartDateTime')).toBe('datetime');
    expect(type('Subscription', 'AutoRenew')).toBe('boolean');
  });

  it('has the fields analysts write conditions over, and picklists only on string fields', () => {
    expect(fieldNames('Invoice')).toEqual(expect.arrayContaining([
      'Id', 'AccountId', 'InvoiceNumber', 'InvoiceDate', 'DueDate', 'Status', 'Amount', 'Balance', 'TaxAmount',
      'Currency', 'PostedDate', 'PostedBy', 'Comments', 'CreatedDate', 'UpdatedDate', 'CreatedById', 'UpdatedById',
    ]));
    expect(fieldNames('Account')).toEqual(expect.arrayContaining([
      'Name', 'AccountNumber', 'CrmId', 'Status', 'Currency', 'Balance', 'BillCycleDay', 'PaymentTerm', 'AutoPay', 'Batch', 'ParentId',
    ]));
    expect(fieldNames('Subscription')).toEqual(expect.arrayContaining([
      'Name', 'AccountId', 'Status', 'TermType', 'TermStartDate', 'TermEndDate', 'ContractEffectiveDate',
      'ServiceActivationDate', 'AutoRenew', 'RenewalTerm', 'Version',
    ]));
    expect(fieldNames('Usage')).toEqual(expect.arrayContaining([
      'AccountId', 'SubscriptionId', 'ChargeId', 'UOM', 'Quantity', 'StartDateTime', 'EndDateTime', 'Status', 'ImportId',
    ]));
    expect(findField(objectNamed('Invoice'), 'Status')?.picklist).toEqual(['Draft', 'Posted', 'Canceled', 'Error']);
    for (const o of BILLING_OBJECTS) {
      for (const field of o.fields.filter((f) => f.picklist)) {
        expect(field.type, `${o.name}.${field.name}`).toBe('string');
        expect(field.picklist!.length).toBeGreaterThan(0);
      }
    }
  });

  it('includes the standard custom fields as examples', () => {
    expect(findField(objectNamed('Account'), 'TradingPartnerCode__c')).toMatchObject({ type: 'string', custom: true });
    expect(findField(objectNamed('ProductRatePlan'), 'ExternalSystem__c')).toMatchObject({ type: 'string', custom: true });
    expect(findField(objectNamed('Invoice'), 'SyncedToErp__c')).toMatchObject({ type: 'boolean', custom: true });
  });

  it('is frozen, so the cached lookups can never go stale', () => {
    expect(Object.isFrozen(BILLING_OBJECTS)).toBe(true);
    expect(Object.isFrozen(objectNamed('Invoice').fields)).toBe(true);
  });

  it('lists the three change types', () => {
    expect(CHANGE_TYPES).toEqual(['INSERT', 'UPDATE', 'DELETE']);
  });
});

describe('findObject and findField', () => {
  it('resolve names case-insensitively to the canonical spelling', () => {
    const prp = findObject(BILLING_OBJECTS, 'PRODUCTRATEPLAN');
    expect(prp?.name).toBe('ProductRatePlan');
    expect(prp && findField(prp, 'externalsystem__c')?.name).toBe('ExternalSystem__c');
    expect(prp && findField(prp, 'EXTERNALSYSTEM__C')?.name).toBe('ExternalSystem__c');
    expect(findObject(BILLING_OBJECTS, 'invoiceitem')?.name).toBe('InvoiceItem');
  });

  it('return undefined for unknown names, including the _old form', () => {
    expect(findObject(BILLING_OBJECTS, 'Invoices')).toBeUndefined();
    expect(findObject(BILLING_OBJECTS, '')).toBeUndefined();
    expect(findField(objectNamed('Invoice'), 'Status_old')).toBeUndefined();
  });
});

describe('withCustomFields', () => {
  it('returns new objects with the custom fields added, matching object names case-insensitively', () => {
    const objects = withCustomFields(BILLING_OBJECTS, {
      account: [customField('Region__c')],
      INVOICE: [customField('PoNumber__c'), customField('Approved__c', 'boolean')],
    });
    const account = findObject(objects, 'Account')!;
    expect(account.fields.at(-1)).toEqual({ ...customField('Region__c'), custom: true });
    expect(findField(account, 'region__c')?.name).toBe('Region__c');
    expect(findField(findObject(objects, 'Invoice')!, 'approved__c')?.type).toBe('boolean');
    expect(findObject(objects, 'Usage')!.fields).toEqual(objectNamed('Usage').fields);
    expect(findField(objectNamed('Account'), 'Region__c')).toBeUndefined();
    expect(objects).toHaveLength(14);
  });

  it('refuses names that do not end in __c or are not identifiers', () => {
    for (const bad of ['Region', 'Region__C', 'Region_c', '__c', '1Region__c', 'Re gion__c']) {
      expect(() => withCustomFields(BILLING_OBJECTS, { Account: [customField(bad)] })).toThrow(
        `Custom field “Account.${bad}” must end in “__c”`,
      );
    }
  });

  it('refuses a clash with an existing field or another custom field, case-insensitively, naming it', () => {
    expect(() => withCustomFields(BILLING_OBJECTS, { Account: [customField('tradingPartnerCode__c')] })).toThrow(
      'Custom field “Account.tradingPartnerCode__c” clashes with a field of the same name on Account.',
    );
    expect(() => withCustomFields(BILLING_OBJECTS, { Account: [customField('Region__c')], ACCOUNT: [customField('region__c')] })).toThrow(
      'Custom field “Account.region__c” clashes',
    );
  });

  it('refuses an unknown object, suggesting the right one', () => {
    expect(() => withCustomFields(BILLING_OBJECTS, { Acount: [customField('Region__c')] })).toThrow(
      'There is no object “Acount” to add custom fields to. Did you mean Account?',
    );
  });
});

describe('suggest', () => {
  const invoiceFields = fieldNames('Invoice');
  const objectNames = BILLING_OBJECTS.map((o) => o.name);

  it('finds typos, transpositions and missing letters, best first', () => {
    expect(suggest('Stauts', invoiceFields)[0]).toBe('Status');
    expect(suggest('Acount', objectNames)[0]).toBe('Account');
    expect(suggest('InvoiceNumbr', invoiceFields)[0]).toBe('InvoiceNumber');
    expect(suggest('duedate', invoiceFields)).toEqual(['DueDate']);
    expect(suggest('Subscriptoin', objectNames)[0]).toBe('Subscription');
    expect(suggest('Balanse', invoiceFields)[0]).toBe('Balance');
  });

  it('offers prefix matches, shortest first, and respects max', () => {
    expect(suggest('Invoice', objectNames)).toEqual(['Invoice', 'InvoiceItem']);
    expect(suggest('Payment', objectNames, 1)).toEqual(['Payment']);
    expect(suggest('Includes', invoiceFields)).toEqual(['IncludesUsage', 'IncludesOneTime', 'IncludesRecurring']);
    expect(suggest('Includes', invoiceFields, 2)).toHaveLength(2);
  });

  it('suggests nothing for garbage, empty names or an empty list', () => {
    expect(suggest('xyzzy', invoiceFields)).toEqual([]);
    expect(suggest('qwertyuiop', objectNames)).toEqual([]);
    expect(suggest('', invoiceFields)).toEqual([]);
    expect(suggest('Status', [])).toEqual([]);
    expect(suggest('Status', invoiceFields, 0)).toEqual([]);
  });

  it('is fast enough for every keystroke', () => {
    const started = process.cpuUsage();
    for (let i = 0; i < 10_000; i++) suggest(i % 2 ? 'InvoiceNumbr' : 'Stauts', invoiceFields);
    expect(cpuMsSince(started)).toBeLessThan(2_000);
  });
});
