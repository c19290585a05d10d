import { describe, expect, it } from 'vitest';
import { changedFields, conditionContext, loopRecordMaker, readObjectChange, type ObjectChange } from '@/lib/custom-events/changes/object-change';
import { conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import { BILLING_OBJECTS, withCustomFields, type BillingObject } from '@/lib/custom-events/object-model';
import { compile } from '@/lib/expressions/compile';

const AT = '2026-11-30T09:15:00Z';
const insert = { object: 'Invoice', recordId: 'INV-1', changeType: 'INSERT', current: { Status: 'Posted', Amount: 120 }, time: AT };
const update = { object: 'Invoice', recordId: 'INV-1', changeType: 'UPDATE', current: { Status: 'Posted', Amount: 120 }, previous: { Status: 'Draft', Amount: 120 }, time: AT };
const remove = { object: 'Invoice', recordId: 'INV-1', changeType: 'DELETE', previous: { Status: 'Posted', InvoiceNumber: 'INV00000123' }, time: AT };

const read = (raw: unknown) => readObjectChange(raw, 0);
const taken = (raw: unknown): ObjectChange => {
  const reading = read(raw);
  if (!reading.ok) throw new Error(`refused: ${reading.refusal.reason}`);
  return reading.change;
};
const refusal = (raw: unknown) => {
  const reading = read(raw);
  if (reading.ok) throw new Error('taken');
  return reading.refusal;
};

describe('readObjectChange', () => {
  it('takes the three change types, with canonical object and field names and the time in UTC', () => {
    expect(taken({ ...update, object: 'invoice', current: { status: 'Posted' }, previous: { STATUS: 'Draft' }, time: '2026-11-30T10:15:00+01:00' })).toEqual({
      object: 'Invoice',
      recordId: 'INV-1',
      changeType: 'UPDATE',
      current: { Status: 'Posted' },
      previous: { Status: 'Draft' },
      time: '2026-11-30T09:15:00.000Z',
    });
    expect(taken(insert).previous).toEqual({});
    expect(taken(remove).current).toEqual({});
    expect(taken({ ...insert, recordId: 42 }).recordId).toBe('42');
  });

  it('refuses, naming the field and what to do', () => {
    expect(refusal({ ...insert, object: 'Invoce' })).toMatchObject({ field: 'object', recordId: 'INV-1', reason: 'There is no billing object “Invoce”. Did you mean Invoice?' });
    expect(refusal({ ...insert, current: { Stauts: 'Posted' } })).toMatchObject({ field: 'current.Stauts', reason: 'Invoice has no field “Stauts”. Did you mean Status?' });
    expect(refusal({ ...insert, current: { Amount: '120' } })).toMatchObject({ field: 'current.Amount', reason: 'Invoice.Amount is a number; it is "120".' });
    expect(refusal({ ...insert, current: { DueDate: '2026-02-30' } }).reason).toMatch(/^Invoice.DueDate is a date written YYYY-MM-DD/);
    expect(refusal({ ...insert, changeType: 'upsert' }).reason).toBe('changeType must be "INSERT", "UPDATE", "DELETE"; it is "upsert".');
    expect(refusal({ ...insert, time: '30/11/2026' }).field).toBe('time');
    expect(refusal({ ...insert, recordId: '' }).field).toBe('recordId');
    expect(refusal({ ...insert, recordId: 'x'.repeat(256) }).reason).toMatch(/256 characters; at most 255/);
    expect(refusal([insert]).reason).toMatch(/must be a JSON object/);
    expect(refusal({ ...insert, current: [] }).field).toBe('current');
  });

  it('refuses text PostgreSQL cannot store (a NUL, a broken surrogate), naming the field, rather than failing the batch', () => {
    expect(refusal({ ...insert, recordId: 'INV\u00001' })).toMatchObject({ field: 'recordId', recordId: null, reason: 'The record id contains a NUL character (\\u0000), which cannot be stored; remove it.' });
    expect(refusal({ ...insert, current: { Status: 'Po\uD800sted' } })).toMatchObject({
      field: 'current.Status',
      reason: 'Invoice.Status contains a broken Unicode character (an unpaired surrogate); fix the text encoding.',
    });
    expect(refusal({ ...insert, changeType: 'UPDATE', current: { Status: 'Posted' }, previous: { Status: '\u0000' } }).field).toBe('previous.Status');
    // A whole surrogate pair (an emoji) is text like any other.
    expect(taken({ ...insert, recordId: 'INV-😀', current: { Status: 'Posted 😀' } }).current.Status).toBe('Posted 😀');
  });

  it('holds each change type to the values it carries', () => {
    expect(refusal({ ...insert, previous: { Status: 'Draft' } }).reason).toBe('An INSERT has no previous values: leave previous out.');
    expect(refusal({ ...remove, current: { Status: 'Posted' } }).reason).toMatch(/^A DELETE has no current values/);
    expect(refusal({ ...remove, previous: {} }).reason).toMatch(/^A DELETE needs the record’s last values in previous/);
    expect(refusal({ ...update, current: {} }).reason).toBe('An UPDATE needs the record’s values in current.');
  });

  it('takes a workspace’s custom fields, and never reads a prototype’s names as fields', () => {
    const objects = withCustomFields(BILLING_OBJECTS, { Invoice: [{ name: 'Region__c', type: 'string', description: '' }] });
    expect(readObjectChange({ ...insert, current: { region__c: 'EMEA' } }, 3, objects)).toMatchObject({ ok: true, change: { current: { Region__c: 'EMEA' } } });
    expect(refusal({ ...insert, current: { Region__c: 'EMEA' } }).field).toBe('current.Region__c');
    expect(refusal({ ...insert, current: JSON.parse('{"__proto__": {"Status": "x"}}') }).field).toBe('current.__proto__');
    expect(refusal({ ...insert, current: { constructor: 'x' } }).field).toBe('current.constructor');
  });
});

describe('changedFields', () => {
  it('lists what an UPDATE changed, in the object’s field order, a missing value counting as null', () => {
    const change = taken({ ...update, current: { Amount: 90, Status: 'Posted', Balance: null, DueDate: '2026-12-31' }, previous: { Status: 'Draft', Amount: 120 } });
    expect(changedFields(change)).toEqual(['DueDate', 'Status', 'Amount']);
  });

  it('is empty for INSERT and DELETE, as changed() is false for them', () => {
    expect(changedFields(taken(insert))).toEqual([]);
    expect(changedFields(taken(remove))).toEqual([]);
  });
});

// docs/trigger-conditions.md, "How the three change types fill the fields", as tests of the compiled conditions.
describe('what a condition sees (docs/trigger-conditions.md)', () => {
  const schema = conditionSchemaFor('Invoice');
  const evaluate = (condition: string, raw: unknown) => compile(condition, schema)(conditionContext(taken(raw)));

  it('INSERT: the values it was created with; _old empty; changed() false', () => {
    expect(evaluate("Invoice.Status == 'Posted'", insert)).toBe(true);
    expect(evaluate('isNull(Invoice.Status_old)', insert)).toBe(true);
    expect(evaluate("changed('Status')", insert)).toBe(false);
    expect(evaluate("changeType == 'INSERT'", insert)).toBe(true);
  });

  it('UPDATE: the new value and the value before; changed() true only when they differ', () => {
    expect(evaluate("Invoice.Status == 'Posted' && Invoice.Status_old == 'Draft'", update)).toBe(true);
    expect(evaluate("changed('Status')", update)).toBe(true);
    expect(evaluate("changed('Amount')", update)).toBe(false);
    expect(evaluate("changed('status')", update)).toBe(true);
  });

  it('DELETE: the last values, _old the same last values, changed() false', () => {
    expect(evaluate("Invoice.InvoiceNumber == 'INV00000123'", remove)).toBe(true);
    expect(evaluate('Invoice.Status_old == Invoice.Status', remove)).toBe(true);
    expect(evaluate("changed('Status')", remove)).toBe(false);
  });

  it('a missing field or related object reads as empty, never as an error', () => {
    expect(evaluate('Invoice.Balance > 0', insert)).toBe(false);
    expect(evaluate("Account.Currency == 'EUR'", insert)).toBe(false);
    expect(evaluate('isNull(Invoice.DueDate)', insert)).toBe(true);
  });

  it('the pitfall the page warns about: `_old != X && field == X` also matches a creation', () => {
    const condition = "Invoice.Status_old != 'Posted' && Invoice.Status == 'Posted'";
    expect(evaluate(condition, insert)).toBe(true);
    expect(evaluate("changeType == 'UPDATE' && " + condition, insert)).toBe(false);
    expect(evaluate("(changeType == 'INSERT' && Invoice.Status == 'Posted') || (changed('Status') && Invoice.Status == 'Posted')", update)).toBe(true);
  });
});

describe('the condition context record, made by compiled code', () => {
  // Every field of the object given on both sides, a few left out or null: each kind of change.
  const valuesOf = (object: BillingObject, seed: number) =>
    Object.fromEntries(object.fields.flatMap((f, i) => ((i + seed) % 5 === 0 ? [] : [[f.name, (i + seed) % 7 === 0 ? null : `${f.name}-${seed}`]])));
  const kinds = { INSERT: 1, UPDATE: 2, DELETE: 3 } as const;

  it.each(BILLING_OBJECTS.map((o) => [o.name, o] as const))('%s: the same properties, in the same order, as property by property', (_name, object) => {
    const loop = loopRecordMaker(object);
    for (const [changeType, kind] of Object.entries(kinds)) {
      const change: ObjectChange = { object: object.name, recordId: 'r1', changeType: changeType as ObjectChange['changeType'], current: changeType === 'DELETE' ? {} : valuesOf(object, 1), previous: changeType === 'INSERT' ? {} : valuesOf(object, 2), time: '2026-11-30T00:00:00.000Z' };
      const record = conditionContext(change)[object.name] as Record<string, unknown>;
      const expected = loop(changeType === 'DELETE' ? change.previous : change.current, change.previous, kind);
      expect(Object.entries(record)).toEqual(Object.entries(expected));
      expect(Object.keys(record)).toHaveLength(object.fields.length * 2);
    }
  });

  it('a field name that is not plain is never written into code: the record is made property by property', () => {
    const odd: BillingObject = { ...BILLING_OBJECTS[0]!, fields: [...BILLING_OBJECTS[0]!.fields, { ...BILLING_OBJECTS[0]!.fields[0]!, name: 'x"]; globalThis.hacked = 1; ["' }] };
    const change: ObjectChange = { object: odd.name, recordId: 'r1', changeType: 'INSERT', current: { 'x"]; globalThis.hacked = 1; ["': 'v' }, previous: {}, time: '2026-11-30T00:00:00.000Z' };
    const record = conditionContext(change, [odd])[odd.name] as Record<string, unknown>;
    expect(record['x"]; globalThis.hacked = 1; ["']).toBe('v');
    expect((globalThis as { hacked?: unknown }).hacked).toBeUndefined();
  });

  it('custom fields are part of the record', () => {
    const objects = withCustomFields(BILLING_OBJECTS, { Invoice: [{ name: 'Region__c', type: 'string', description: 'Region' }] });
    const change: ObjectChange = { object: 'Invoice', recordId: 'r1', changeType: 'UPDATE', current: { Region__c: 'EU' }, previous: { Region__c: 'US' }, time: '2026-11-30T00:00:00.000Z' };
    expect(conditionContext(change, objects).Invoice).toMatchObject({ Region__c: 'EU', Region__c_old: 'US', Status: null, Status_old: null });
  });
});
