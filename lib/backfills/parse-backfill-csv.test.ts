import { describe, expect, it } from 'vitest';
import { parseBackfillCsv } from '@/lib/backfills/parse-backfill-csv';
import { backfillTemplateCsv } from '@/lib/backfills/template';
import type { AppError } from '@/lib/errors';
import type { DefinitionShape } from '@/lib/event-store/record-validation';

const definition: DefinitionShape = {
  name: 'api_calls',
  eventIdField: 'call_id',
  eventTimeField: 'called_at',
  fields: [
    { name: 'call_id', type: 'string', required: true, description: '' },
    { name: 'called_at', type: 'datetime', required: true, description: '' },
    { name: 'units', type: 'integer', required: false, description: '' },
  ],
};

const parse = (text: string | Buffer) => parseBackfillCsv(typeof text === 'string' ? Buffer.from(text) : text, definition);

function refusal(text: string | Buffer): AppError {
  try {
    parse(text);
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('parseBackfillCsv', () => {
  it('reads the rows with their lines, skipping comments and blank lines, tolerating a BOM and spaces in the header', () => {
    const { rows } = parse('\uFEFF# events to delete\n call_id , called_at\n\na-1,2026-01-31T12:00:00Z\n# a note\na-2,2026-01-31 13:00:00.250+01:00\n');
    expect(rows).toEqual([
      { line: 4, eventId: 'a-1', eventTime: new Date('2026-01-31T12:00:00Z') },
      { line: 6, eventId: 'a-2', eventTime: new Date('2026-01-31T12:00:00.250Z') },
    ]);
  });

  it('reads the template it offers (comment line, header, example row)', () => {
    expect(parse(backfillTemplateCsv(definition)).rows).toEqual([{ line: 3, eventId: 'evt-0001', eventTime: new Date('2026-01-31T12:00:00Z') }]);
    expect(backfillTemplateCsv(definition).split('\n')[1]).toBe('call_id,called_at');
  });

  it('takes the columns by name, in any order, ignoring others (an export of the store works)', () => {
    const { rows } = parse('units,called_at,call_id\n3,2026-01-31T12:00:00Z,"x,1"\n');
    expect(rows).toEqual([{ line: 2, eventId: 'x,1', eventTime: new Date('2026-01-31T12:00:00Z') }]);
  });

  it('removes the formula guard the export puts before ids starting with = + - @', () => {
    expect(parse("call_id,called_at\n'=1,2026-01-31T12:00:00Z\n").rows[0]!.eventId).toBe('=1');
  });

  it('refuses an empty file, and a header without rows', () => {
    for (const text of ['', '\n\n', '# only a comment\n', '\uFEFF']) {
      expect(refusal(text)).toMatchObject({ code: 'BACKFILL_FILE_INVALID', status: 400, userMessage: expect.stringMatching(/^The file is empty/) });
    }
    expect(refusal('call_id,called_at\n').userMessage).toMatch(/has a header but no rows/);
  });

  it('refuses a binary file (NUL bytes or invalid UTF-8) as not a CSV file', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);
    const latin1 = Buffer.from([0x63, 0x61, 0x6c, 0x6c, 0xe9, 0xff, 0xfe]);
    for (const bytes of [zip, latin1]) expect(refusal(bytes).userMessage).toMatch(/^This is not a CSV file/);
  });

  it('refuses a wrong header, saying which columns are expected and which were found', () => {
    const error = refusal('id,time\na,2026-01-31T12:00:00Z\n');
    expect(error.userMessage).toBe(
      'The header (line 1) must name the columns “call_id” and “called_at” (the event id and event time of api_calls); it has “id”, “time”, so “call_id” and “called_at” are missing. Download the template for the right header.',
    );
    expect(refusal('call_id,when\na,2026-01-31T12:00:00Z\n').userMessage).toMatch(/it has “call_id”, “when”, so “called_at” is missing/);
    expect(refusal('Call_ID,called_at\na,2026-01-31T12:00:00Z\n').userMessage).toMatch(/“call_id” is missing/);
  });

  it('refuses more than 1,000 rows, and takes exactly 1,000', () => {
    const file = (n: number) => `call_id,called_at\n${Array.from({ length: n }, (_, i) => `e${i},2026-01-31T12:00:00Z`).join('\n')}\n`;
    expect(parse(file(1000)).rows).toHaveLength(1000);
    expect(refusal(file(1001)).userMessage).toBe(
      'The file has 1,001 rows; a backfill takes at most 1,000. Split it into files of at most 1,000 rows and upload them one by one.',
    );
  });

  it('lists row errors by line: bad or empty date, empty id, duplicate ids with both lines', () => {
    const error = refusal(
      ['call_id,called_at', 'a,2026-01-31T12:00:00Z', 'b,31/01/2026', ',2026-01-31T12:00:00Z', 'c,', 'a,2026-01-31T12:00:00Z', 'd,2026-02-30T00:00:00Z'].join('\n'),
    );
    expect(error.code).toBe('BACKFILL_FILE_INVALID');
    expect(error.details.rowErrorCount).toBe(5);
    expect(error.details.rowErrors).toEqual([
      { line: 3, message: expect.stringMatching(/^“called_at” must be an ISO 8601 time .* got the text “31\/01\/2026”/) },
      { line: 4, message: 'The event id (“call_id”) is empty.' },
      { line: 5, message: expect.stringMatching(/^The event time \(“called_at”\) is empty/) },
      { line: 6, message: 'Event id “a” is on line 2 and again on line 6: list each event once.' },
      { line: 7, message: '“called_at” is not a real time: day 30 of a month with 28 days in “2026-02-30T00:00:00Z”.' },
    ]);
    expect(error.userMessage).toMatch(/^5 rows need fixing \(line 3, 4, 5, 6, 7\); nothing was deleted\. Line 3: /);
  });

  it('lists at most 50 row errors and counts them all', () => {
    const text = `call_id,called_at\n${Array.from({ length: 80 }, (_, i) => `e${i},yesterday`).join('\n')}`;
    const error = refusal(text);
    expect(error.details.rowErrorCount).toBe(80);
    expect(error.details.rowErrors).toHaveLength(50);
    expect(error.userMessage).toMatch(/^80 rows need fixing \(line 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 70 more\)/);
  });

  it('refuses malformed CSV with its line', () => {
    const error = refusal('call_id,called_at\na,2026-01-31T12:00:00Z\n"b,2026-01-31T12:00:00Z\n');
    expect(error.userMessage).toMatch(/^This is not a readable CSV file/);
  });

  it('numbers a row after a quoted cell with a line break by the line it starts on', () => {
    const { rows } = parse('call_id,called_at,units\n"x\ny",2026-01-31T12:00:00Z,1\nz,2026-01-31T12:00:00Z,2\n');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });
});
