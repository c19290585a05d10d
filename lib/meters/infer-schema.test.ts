import { describe, expect, it } from 'vitest';
import { fieldNameOf, inferFields, projectRows, typeOfValue, widenType } from '@/lib/meters/infer-schema';
import { formatOfFileName, parseSample, SAMPLE_MAX_ROWS } from '@/lib/meters/parse-sample';

const csv = (lines: string[]) => parseSample(lines.join('\n') + '\n', 'csv');

describe('inferFields', () => {
  it('types CSV text as integer, number, boolean, datetime or string, required when every row has a value', () => {
    const sample = csv([
      'id,units,price,billable,at,customer,note',
      'e1,3,1.5,true,2026-11-01T10:00:00Z,00123,',
      'e2,4,2,FALSE,2026-11-01 11:00,00456,late',
    ]);
    expect(inferFields(sample.rows, sample.textual)).toEqual([
      { column: 'id', name: 'id', type: 'string', required: true },
      { column: 'units', name: 'units', type: 'integer', required: true },
      { column: 'price', name: 'price', type: 'number', required: true },
      { column: 'billable', name: 'billable', type: 'boolean', required: true },
      { column: 'at', name: 'at', type: 'datetime', required: true },
      // Leading zeros are an id, not a number (it would lose them).
      { column: 'customer', name: 'customer', type: 'string', required: true },
      { column: 'note', name: 'note', type: 'string', required: false },
    ]);
  });

  it('types JSON values by their JSON type, objects and arrays as json, and misses and nulls as optional', () => {
    const rows = [
      { id: 1, amount: 2, at: '2026-11-01T00:00:00Z', meta: { a: 1 }, tags: ['x'], ok: true },
      { id: 2, amount: 2.5, at: '2026-11-02', meta: null, ok: false, extra: 'late' },
    ];
    expect(inferFields(rows, false)).toEqual([
      { column: 'id', name: 'id', type: 'integer', required: true },
      { column: 'amount', name: 'amount', type: 'number', required: true },
      { column: 'at', name: 'at', type: 'datetime', required: true },
      { column: 'meta', name: 'meta', type: 'json', required: false },
      { column: 'tags', name: 'tags', type: 'json', required: false },
      { column: 'ok', name: 'ok', type: 'boolean', required: true },
      { column: 'extra', name: 'extra', type: 'string', required: false },
    ]);
  });

  it('widens mixed values: whole and decimal numbers to number, times and text to string, the rest to string (CSV) or json', () => {
    expect(inferFields([{ v: 1 }, { v: 1.5 }], false)[0]!.type).toBe('number');
    expect(inferFields([{ v: '2026-11-01' }, { v: 'soon' }], false)[0]!.type).toBe('string');
    expect(inferFields([{ v: 1 }, { v: 'one' }], false)[0]!.type).toBe('json');
    expect(inferFields([{ v: '1' }, { v: 'one' }], true)[0]!.type).toBe('string');
    expect(widenType('boolean', 'integer', true)).toBe('string');
  });

  it('gives column names that are not identifiers a usable name, unique regardless of case', () => {
    const fields = inferFields([{ 'unit price': 1, '2nd': 2, 'Unit_Price': 3, '': 4, constructor: 5 }], false);
    expect(fields.map((f) => [f.column, f.name])).toEqual([
      ['unit price', 'unit_price'],
      ['2nd', '_2nd'],
      ['Unit_Price', 'Unit_Price_2'],
      ['', 'field_4'],
      ['constructor', 'constructor_field'],
    ]);
    expect(fieldNameOf('a'.repeat(80), new Set(), 0)).toHaveLength(64);
  });

  it('reads no type into values that only look like one', () => {
    expect(typeOfValue('12', false)).toBe('string');
    expect(typeOfValue('March 3', true)).toBe('string');
    expect(typeOfValue('2026-13-45', true)).toBe('string');
    expect(typeOfValue('99999999999999999999', true)).toBe('string');
    expect(typeOfValue('', true)).toBeNull();
  });
});

describe('projectRows', () => {
  it('reads each field from its column under its new name, as the file had it, and leaves removed fields out', () => {
    const sample = csv(['unit price,at,units', '1.5,2026-11-01 10:00,3', 'n/a,,4']);
    const fields = inferFields(sample.rows, sample.textual)
      .filter((f) => f.column !== 'units')
      .map((f) => (f.column === 'unit price' ? { ...f, name: 'price' } : f));
    expect(projectRows(sample.rows, fields)).toEqual([
      { price: '1.5', at: '2026-11-01 10:00' },
      { price: 'n/a', at: '' },
    ]);
  });
});

describe('parseSample', () => {
  it('knows the formats by extension', () => {
    expect(['a.csv', 'b.JSON', 'c.ndjson', 'd.jsonl', 'e.txt'].map(formatOfFileName)).toEqual(['csv', 'json', 'ndjson', 'ndjson', null]);
  });

  it('reads CSV with a BOM, quoted line breaks and trimmed headers, capped at 1,000 rows', () => {
    const sample = parseSample('\uFEFF id , note\n1,"two\nlines"\n', 'csv');
    expect(sample.rows).toEqual([{ id: '1', note: 'two\nlines' }]);
    const many = csv(['n', ...Array.from({ length: SAMPLE_MAX_ROWS + 5 }, (_, i) => String(i))]);
    expect(many.rows).toHaveLength(SAMPLE_MAX_ROWS);
    expect(many.truncated).toBe(true);
  });

  it('drops the partial last record of a cut file', () => {
    expect(parseSample('n\n1\n2\n3', 'csv', true).rows).toEqual([{ n: '1' }, { n: '2' }]);
    expect(parseSample('{"n":1}\n{"n":2}\n{"n":', 'ndjson', true).rows).toEqual([{ n: 1 }, { n: 2 }]);
    const json = parseSample('[{"n":1,"s":"a,]}"},{"n":[2]},{"n":3', 'json', true);
    expect(json).toMatchObject({ rows: [{ n: 1, s: 'a,]}' }, { n: [2] }], truncated: true, problems: [] });
  });

  it('skips lines and elements that are not records, saying where', () => {
    const ndjson = parseSample('{"n":1}\nnot json\n\n[1]\n', 'ndjson');
    expect(ndjson.rows).toEqual([{ n: 1 }]);
    expect(ndjson.problems).toEqual(['Line 2 is not valid JSON; it was skipped.', 'Line 4 is not a record (a JSON object of field names to values); it was skipped.']);
    expect(parseSample('{"n":1}', 'json').rows).toEqual([{ n: 1 }]);
    expect(parseSample('"text"', 'json').problems[0]).toMatch(/must hold an array of records/);
    expect(parseSample('[{"n":1},', 'json').problems).toEqual(['The JSON array ends without its closing “]”; the records before that point were read.']);
  });
});
