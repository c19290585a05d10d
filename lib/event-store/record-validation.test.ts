import { describe, expect, it } from 'vitest';
import { isRejection, makeRecordValidator, storedTimeText, type DefinitionShape } from '@/lib/event-store/record-validation';

const definition: DefinitionShape = {
  name: 'API Call',
  eventIdField: 'id',
  eventTimeField: 'at',
  fields: [
    { name: 'id', type: 'string', required: true, description: '' },
    { name: 'at', type: 'datetime', required: true, description: '' },
    { name: 'units', type: 'integer', required: true, description: '' },
    { name: 'cost', type: 'number', required: false, description: '' },
    { name: 'billable', type: 'boolean', required: false, description: '' },
    { name: 'meta', type: 'json', required: false, description: '' },
  ],
};
const json = makeRecordValidator(definition, { textual: false });
const text = makeRecordValidator(definition, { textual: true });

describe('JSON records', () => {
  it('accepts a valid record and normalizes the time to UTC ISO', () => {
    const result = json({ id: 'e1', at: '2026-03-01T10:00:00+02:00', units: 3, cost: 1.5, billable: true, meta: { a: [1] } }, 0);
    expect(result).toEqual({
      eventId: 'e1',
      eventTime: new Date('2026-03-01T08:00:00Z'),
      payload: { id: 'e1', at: '2026-03-01T08:00:00.000Z', units: 3, cost: 1.5, billable: true, meta: { a: [1] } },
    });
  });

  it('takes epoch milliseconds and times without a zone as UTC', () => {
    expect(!isRejection(json({ id: 'a', at: 1767225600000, units: 1 }, 0)) && json({ id: 'a', at: 1767225600000, units: 1 }, 0)).toMatchObject({ eventTime: new Date('2026-01-01T00:00:00Z') });
    expect(json({ id: 'a', at: '2026-01-01 06:30', units: 1 }, 0)).toMatchObject({ eventTime: new Date('2026-01-01T06:30:00Z') });
  });

  it.each([
    [{ at: '2026-01-01T00:00:00Z', units: 1 }, 'id', 'Required field “id” is missing.'],
    [{ id: 'a', units: 1 }, 'at', 'Required field “at” is missing.'],
    [{ id: 'a', at: 'yesterday', units: 1 }, 'at', '“at” must be an ISO 8601 time (2026-01-31T12:00:00Z) or epoch milliseconds, got the text “yesterday”.'],
    [{ id: 'a', at: '2026-01-01T00:00:00Z', units: '3' }, 'units', '“units” must be a whole number, got the text “3”.'],
    [{ id: 'a', at: '2026-01-01T00:00:00Z', units: 1.5 }, 'units', '“units” must be a whole number, got 1.5.'],
    [{ id: 'a', at: '2026-01-01T00:00:00Z', units: 1, cost: 'free' }, 'cost', '“cost” must be a number, got the text “free”.'],
    [{ id: 'a', at: '2026-01-01T00:00:00Z', units: 1, billable: 'yes' }, 'billable', '“billable” must be true or false, got the text “yes”.'],
    [{ id: 7, at: '2026-01-01T00:00:00Z', units: 1 }, 'id', '“id” must be a string, got 7.'],
    [{ id: 'a', at: '2026-01-01T00:00:00Z', units: 1, colour: 'red' }, 'colour', '“colour” is not a field of API Call. Remove it or add it to the definition.'],
  ])('refuses %j on %s', (record, field, reason) => {
    expect(json(record, 4)).toEqual({ position: 4, field, reason });
  });

  it('refuses what is not an object', () => {
    for (const record of [null, 5, 'x', [1]]) expect(json(record, 2)).toMatchObject({ position: 2, field: null });
  });

  it('treats null as absent', () => {
    expect(isRejection(json({ id: 'a', at: '2026-01-01T00:00:00Z', units: 1, cost: null }, 0))).toBe(false);
    expect(json({ id: 'a', at: '2026-01-01T00:00:00Z', units: null }, 0)).toMatchObject({ field: 'units' });
  });
});

describe('CSV records (all text)', () => {
  it('converts text by type; empty cells are absent', () => {
    expect(text({ id: 'e1', at: '1767225600000', units: '12', cost: '2.5e1', billable: 'FALSE', meta: '{"k":1}' }, 2)).toEqual({
      eventId: 'e1',
      eventTime: new Date('2026-01-01T00:00:00Z'),
      payload: { id: 'e1', at: '2026-01-01T00:00:00.000Z', units: 12, cost: 25, billable: false, meta: { k: 1 } },
    });
    expect(text({ id: 'e1', at: '2026-01-01', units: '1', cost: '' }, 2)).toMatchObject({ payload: { units: 1 } });
  });

  it('keeps leading zeros in string ids', () => {
    expect(text({ id: '00123', at: '2026-01-01', units: '1' }, 2)).toMatchObject({ eventId: '00123' });
  });

  it.each([
    [{ id: 'a', at: '2026-01-01', units: '1.0' }, 'units'],
    [{ id: 'a', at: '2026-01-01', units: '1', cost: '1,5' }, 'cost'],
    [{ id: 'a', at: '2026-01-01', units: '1', meta: '{bad' }, 'meta'],
    [{ id: 'a', at: '31/01/2026', units: '1' }, 'at'],
  ])('refuses %j on %s', (record, field) => {
    expect(text(record, 3)).toMatchObject({ position: 3, field });
  });
});

describe('values PostgreSQL could not store, or that would silently change', () => {
  const ok = { id: 'a', at: '2026-01-01T00:00:00Z', units: 1 };

  it.each([
    [{ ...ok, id: 'a\u0000b' }, 'id', '“id” contains a NUL character (\\u0000), which cannot be stored; remove it.'],
    [{ ...ok, meta: { deep: ['x', 'y\u0000'] } }, 'meta', '“meta” contains a NUL character (\\u0000), which cannot be stored; remove it.'],
    [{ ...ok, meta: { ['k\u0000']: 1 } }, 'meta', '“meta” contains a NUL character (\\u0000), which cannot be stored; remove it.'],
    [{ ...ok, id: 'a\ud800' }, 'id', '“id” contains a broken Unicode character (an unpaired surrogate); fix the text encoding.'],
    [{ ...ok, id: '\udc00a' }, 'id', '“id” contains a broken Unicode character (an unpaired surrogate); fix the text encoding.'],
    [{ ...ok, id: 'x'.repeat(513) }, 'id', 'The event id is 513 characters long; the limit is 512.'],
    [{ ...ok, at: 1706700000 }, 'at', '“at” is 1706700000, which reads as epoch milliseconds in 1970; if it is seconds, multiply by 1,000, or send an ISO 8601 time (2026-01-31T12:00:00Z).'],
    [{ ...ok, at: '2026-02-30T10:00:00Z' }, 'at', '“at” is not a real time: day 30 of a month with 28 days in “2026-02-30T10:00:00Z”.'],
    [{ ...ok, at: '2026-13-01' }, 'at', '“at” is not a real time: month 13 in “2026-13-01”.'],
    [{ ...ok, at: '2026-01-01T24:30:00Z' }, 'at', '“at” is not a real time: hour 24 in “2026-01-01T24:30:00Z”.'],
  ])('refuses %j on %s, by name', (record, field, reason) => {
    expect(json(record, 7)).toEqual({ position: 7, field, reason });
  });

  // Times already in the stored form (what a meter's records carry) take a shortcut without Date: it must
  // refuse exactly what the general rules refuse, with the same message.
  it.each([
    ['2026-02-29T10:00:00.000Z', 'day 29 of a month with 28 days'],
    ['1900-02-29T00:00:00.000Z', 'day 29 of a month with 28 days'],
    ['2026-04-31T00:00:00.000Z', 'day 31 of a month with 30 days'],
    ['2026-00-10T00:00:00.000Z', 'month 0'],
    ['2026-12-00T00:00:00.000Z', 'day 0 of a month with 31 days'],
    ['2026-01-01T24:00:00.000Z', 'hour 24'],
    ['2026-01-01T23:60:00.000Z', 'minute 60'],
    ['2026-01-01T23:59:60.000Z', 'second 60'],
  ])('refuses the stored-form time %s like any other: %s', (at, what) => {
    expect(json({ ...ok, at }, 0)).toEqual({ position: 0, field: 'at', reason: `“at” is not a real time: ${what} in “${at}”.` });
  });

  it.each(['2000-02-29T00:00:00.000Z', '2028-02-29T23:59:59.999Z', '1900-01-01T00:00:00.000Z', '2026-09-30T12:34:56.789Z', '2026-12-31T23:59:59.000Z'])(
    'keeps the stored-form time %s as it is',
    (at) => {
      expect(json({ ...ok, at }, 0)).toMatchObject({ eventTime: new Date(at), payload: { at } });
    },
  );

  it('keeps well-formed text: emoji (surrogate pairs), a leap day, an id at the limit', () => {
    expect(json({ ...ok, id: '🧾'.repeat(100) }, 0)).toMatchObject({ eventId: '🧾'.repeat(100) });
    expect(json({ ...ok, at: '2028-02-29T23:59:59Z' }, 0)).toMatchObject({ eventTime: new Date('2028-02-29T23:59:59Z') });
    expect(isRejection(json({ ...ok, id: 'x'.repeat(512) }, 0))).toBe(false);
  });

  it('refuses CSV numbers that overflow to Infinity, and CSV epoch seconds or compact dates', () => {
    expect(text({ id: 'a', at: '2026-01-01', units: '1', cost: '1e999' }, 2)).toEqual({ position: 2, field: 'cost', reason: '“cost” must be a finite number, got “1e999”.' });
    expect(text({ id: 'a', at: '20260131', units: '1' }, 2)).toMatchObject({ field: 'at', reason: expect.stringContaining('reads as epoch milliseconds in 1970') });
  });

  it('never reads a missing required field through the object prototype', () => {
    const proto = makeRecordValidator(
      { ...definition, fields: [...definition.fields, { name: 'toStringX', type: 'string', required: true, description: '' }] },
      { textual: false },
    );
    expect(proto({ ...ok }, 0)).toMatchObject({ field: 'toStringX', reason: 'Required field “toStringX” is missing.' });
    expect(json(JSON.parse('{"__proto__": {"id": "x", "at": "2026-01-01T00:00:00Z", "units": 1}}'), 0)).toMatchObject({ field: '__proto__' });
  });
});

describe('limits: each one rejects that record, by field', () => {
  const ok = { id: 'a', at: '2026-01-01T00:00:00Z', units: 1 };
  /** `levels` lists around `inner`, built without recursion. */
  const nested = (levels: number, inner: unknown) => {
    let value = inner;
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  };

  it.each([
    ['0000-01-01T00:00:00Z'],
    ['1899-12-31T23:59:59.999Z'],
    ['1900-01-01T00:30:00+01:00'],
    ['9999-12-31T23:30:00-01:00'],
    ['0000-02-29'],
  ])('refuses the event time %s: outside 1900–9999 (UTC), where JavaScript and PostgreSQL agree', (at) => {
    expect(json({ ...ok, at }, 3)).toEqual({ position: 3, field: 'at', reason: `“at” is the text “${at}”, outside the times an event can have (1900-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z).` });
    expect(text({ ...ok, at, units: '1' }, 3)).toMatchObject({ field: 'at' });
  });

  it('keeps the first and last millisecond of the range', () => {
    expect(json({ ...ok, at: '1900-01-01T00:00:00Z' }, 0)).toMatchObject({ eventTime: new Date('1900-01-01T00:00:00Z') });
    expect(json({ ...ok, at: '9999-12-31T23:59:59.999Z' }, 0)).toMatchObject({ payload: { at: '9999-12-31T23:59:59.999Z' } });
  });

  it('checks every text at every allowed depth, and refuses deeper nesting without recursing', () => {
    // meta's value sits inside the event (level 1): 63 lists around the text make the event 64 deep.
    expect(json({ ...ok, meta: nested(63, 'a\u0000') }, 1)).toEqual({ position: 1, field: 'meta', reason: '“meta” contains a NUL character (\\u0000), which cannot be stored; remove it.' });
    expect(json({ ...ok, meta: nested(63, 'a\ud800') }, 1)).toMatchObject({ field: 'meta', reason: expect.stringContaining('unpaired surrogate') });
    expect(isRejection(json({ ...ok, meta: nested(63, 'fine') }, 1))).toBe(false);
    expect(json({ ...ok, meta: nested(64, 'fine') }, 1)).toEqual({ position: 1, field: 'meta', reason: '“meta” nests more than 64 levels deep (the event counts as one; the limit is 64); flatten it.' });
    expect(json({ ...ok, meta: JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) }, 1)).toMatchObject({ field: 'meta', reason: expect.stringContaining('64 levels') });
  });

  it('refuses more than 10,000 values in one event, counting fields, keys and list items', () => {
    // 4 fields (id, at, units, meta) + the 9,996 keys of meta's object = 10,000.
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(isRejection(json({ ...ok, meta: keys(9_996) }, 0))).toBe(false);
    expect(json({ ...ok, meta: keys(9_997) }, 0)).toMatchObject({ field: 'meta', reason: expect.stringContaining('more than 10,000 values') });
    expect(json({ ...ok, meta: [Array(5_000).fill(1), Array(5_000).fill(1)] }, 0)).toMatchObject({ field: 'meta', reason: expect.stringContaining('10,000') });
  });

  it('refuses a number in a json field that JSON cannot carry back (it would be stored as null)', () => {
    expect(json({ ...ok, meta: JSON.parse('{"big": 1e400}') }, 0)).toMatchObject({ field: 'meta', reason: expect.stringContaining('too large') });
    expect(text({ ...ok, units: '1', meta: '[-1e999]' }, 2)).toMatchObject({ field: 'meta', reason: expect.stringContaining('too large') });
  });
});

describe('storedTimeText', () => {
  it('gives a filter value in the form events store it', () => {
    expect(storedTimeText('2026-01-31T12:00:00Z')).toBe('2026-01-31T12:00:00.000Z');
    expect(storedTimeText('2026-01-31 14:00+02:00')).toBe('2026-01-31T12:00:00.000Z');
    expect(storedTimeText('1767225600000')).toBe('2026-01-01T00:00:00.000Z');
    expect(storedTimeText('soon')).toBeUndefined();
    expect(storedTimeText('0000-01-01')).toBeUndefined();
  });
});
