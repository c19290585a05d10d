import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvHeaderOf, rejectedRowsCsv } from '@/components/event-stores/rejected-rows-csv';

describe('rejectedRowsCsv', () => {
  it('a CSV upload: position and reason, then the original header and each row verbatim', () => {
    const csv = rejectedRowsCsv(
      [
        { position: 3, field: 'at', reason: '“at” must be a date, got "x".', record: 'e2,x,2' },
        { position: 5, field: 'units', reason: 'Bad, very bad', record: '"e3","2026-01-01","x\ny"' },
      ],
      { format: 'csv', csvHeader: 'id,at,units' },
    );
    expect(parse(csv, { columns: true })).toEqual([
      { position: '3', reason: '“at” must be a date, got "x".', id: 'e2', at: 'x', units: '2' },
      { position: '5', reason: 'Bad, very bad', id: 'e3', at: '2026-01-01', units: 'x\ny' },
    ]);
  });

  it('a JSON upload: the record text in one cell; formulas are guarded; a cut record says so', () => {
    const csv = rejectedRowsCsv(
      [
        { position: 0, field: null, reason: 'Not valid JSON', record: '=HYPERLINK("x")' },
        { position: 1, field: 'units', reason: 'Must be a number.', record: '{"id":"a","units":"x"}', recordTruncated: true },
      ],
      { format: 'ndjson' },
    );
    expect(parse(csv, { columns: true })).toEqual([
      { position: '0', field: '', reason: 'Not valid JSON', record: `'=HYPERLINK("x")` },
      { position: '1', field: 'units', reason: 'Must be a number. (The record is cut at its first characters here.)', record: '{"id":"a","units":"x"}' },
    ]);
  });

  it('reads the header line of a file, without a BOM', () => {
    expect(csvHeaderOf('\uFEFFid,at\r\ne1,x')).toBe('id,at');
    expect(csvHeaderOf('id,at\ne1')).toBe('id,at');
  });
});
