import { parse as parseCsv } from 'csv-parse/sync';
import { BACKFILL_MAX_ROWS } from '@/lib/backfills/types';
import { AppError } from '@/lib/errors';
import { unguardCsvCell } from '@/lib/event-store/csv-cell';
import { MAX_EVENT_ID_LENGTH } from '@/lib/event-store/event-limits';
import { readTimeText, type DefinitionShape } from '@/lib/event-store/record-validation';

/** A data row of a backfill file: the event to delete, at its line in the file. */
export interface BackfillRowInput {
  line: number;
  eventId: string;
  eventTime: Date;
}

export interface RowError {
  line: number;
  message: string;
}

/** Row errors listed in the refusal; the rest are only counted. */
export const MAX_LISTED_ROW_ERRORS = 50;

const fileInvalid = (message: string, rowErrors: RowError[] = [], rowErrorCount = rowErrors.length) =>
  new AppError('BACKFILL_FILE_INVALID', message, { status: 400, details: { rowErrors, rowErrorCount } });

/**
 * Reads a backfill CSV: `#` comment lines and blank lines are skipped, the header must name the
 * definition's event-id and event-time fields (other columns are ignored), and each data row needs an
 * event id and an ISO 8601 event time, each id once. Everything is checked before anything is returned:
 * it throws BACKFILL_FILE_INVALID (400) for an empty file, a file that is not CSV text, a wrong header,
 * more than BACKFILL_MAX_ROWS rows, or row errors (the first MAX_LISTED_ROW_ERRORS in
 * `details.rowErrors`, all counted in `details.rowErrorCount`).
 */
export function parseBackfillCsv(bytes: Buffer, definition: DefinitionShape): { rows: BackfillRowInput[] } {
  const records = readRecords(bytes);
  const headerRecord = records.shift();
  if (!headerRecord) {
    throw fileInvalid('The file is empty: it has no header and no rows. Download the template, list the events to delete under its header, and upload it again.');
  }
  const [idColumn, timeColumn] = headerColumns(headerRecord, definition);
  if (records.length === 0) {
    throw fileInvalid(`The file has a header but no rows: add one row per event to delete (its ${definition.eventIdField} and ${definition.eventTimeField}).`);
  }
  if (records.length > BACKFILL_MAX_ROWS) {
    throw fileInvalid(
      `The file has ${records.length.toLocaleString('en')} rows; a backfill takes at most ${BACKFILL_MAX_ROWS.toLocaleString('en')}. Split it into files of at most ${BACKFILL_MAX_ROWS.toLocaleString('en')} rows and upload them one by one.`,
    );
  }

  const rows: BackfillRowInput[] = [];
  const errors: RowError[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, line } of records) {
    const eventId = unguardCsvCell(record[idColumn] ?? '').trim();
    const timeText = (record[timeColumn] ?? '').trim();
    const problem = rowProblem(eventId, timeText, definition);
    if (typeof problem === 'string') {
      errors.push({ line, message: problem });
      continue;
    }
    const first = firstLineOf.get(eventId);
    if (first !== undefined) {
      errors.push({ line, message: `Event id “${clip(eventId)}” is on line ${first} and again on line ${line}: list each event once.` });
      continue;
    }
    firstLineOf.set(eventId, line);
    rows.push({ line, eventId, eventTime: problem });
  }
  if (errors.length) {
    const listed = errors.slice(0, MAX_LISTED_ROW_ERRORS);
    const lines = listed.slice(0, 10).map((e) => e.line).join(', ');
    const more = errors.length > 10 ? ` and ${(errors.length - 10).toLocaleString('en')} more` : '';
    throw fileInvalid(
      `${errors.length.toLocaleString('en')} ${errors.length === 1 ? 'row needs' : 'rows need'} fixing (line ${lines}${more}); nothing was deleted. Line ${listed[0]!.line}: ${listed[0]!.message}`,
      listed,
      errors.length,
    );
  }
  return { rows };
}

type CsvRecord = { record: string[]; line: number };

/** The file's records (header first) with the line each starts on; comment and blank lines skipped. */
function readRecords(bytes: Buffer): CsvRecord[] {
  const text = decodeText(bytes);
  try {
    const parsed = parseCsv(text, {
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed
      .filter(({ record }) => record.some((cell) => cell.trim() !== ''))
      .map(({ record, info }) => ({ record, line: info.lines - lineBreaksIn(record) }));
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const message = (error as Error).message.replace(/ (?:on|at) line \d+.*$/, '');
    throw fileInvalid(`This is not a readable CSV file${line ? ` (line ${line})` : ''}: ${message}. Save it as CSV (comma-separated, UTF-8) and upload it again.`, line ? [{ line, message }] : []);
  }
}

/** UTF-8 text, or a refusal: NUL bytes or invalid UTF-8 mean a binary file (a spreadsheet, an archive, an image). */
function decodeText(bytes: Buffer): string {
  const notCsv = () =>
    fileInvalid('This is not a CSV file: it holds binary data (such as a spreadsheet, an archive or an image). Save it as CSV (comma-separated, UTF-8) and upload that.');
  if (bytes.includes(0)) throw notCsv();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notCsv();
  }
}

/** Line breaks inside a record's quoted cells: info.lines is the line a record ends on. */
function lineBreaksIn(record: string[]): number {
  return record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}

/** The positions of the event-id and event-time columns, or a refusal naming what is expected and what was found. */
function headerColumns(header: CsvRecord, definition: DefinitionShape): [number, number] {
  const names = header.record.map((name) => name.trim());
  const expected = [definition.eventIdField, definition.eventTimeField];
  const positions = expected.map((name) => names.indexOf(name));
  const missing = expected.filter((_, i) => positions[i] === -1);
  if (missing.length) {
    const found = names.length ? names.map((n) => `“${clip(n)}”`).join(', ') : 'nothing';
    throw fileInvalid(
      `The header (line ${header.line}) must name the columns “${expected[0]}” and “${expected[1]}” (the event id and event time of ${definition.name}); it has ${found}, so “${missing.join('” and “')}” ${missing.length === 1 ? 'is' : 'are'} missing. Download the template for the right header.`,
      [{ line: header.line, message: `Expected the columns ${expected.join(', ')}; found ${names.join(', ') || 'none'}.` }],
    );
  }
  const twice = expected.find((name) => names.indexOf(name) !== names.lastIndexOf(name));
  if (twice) throw fileInvalid(`The header (line ${header.line}) names the column “${twice}” twice; keep one.`, [{ line: header.line, message: `“${twice}” twice.` }]);
  return positions as [number, number];
}

/** Why a row cannot be read, or its event time. */
function rowProblem(eventId: string, timeText: string, definition: DefinitionShape): string | Date {
  if (eventId === '') return `The event id (“${definition.eventIdField}”) is empty.`;
  if (eventId.length > MAX_EVENT_ID_LENGTH) return `The event id is ${eventId.length.toLocaleString('en')} characters long; event ids have at most ${MAX_EVENT_ID_LENGTH}.`;
  if (timeText === '') return `The event time (“${definition.eventTimeField}”) is empty: give the stored event's time in ISO 8601 (2026-01-31T12:00:00Z).`;
  return readTimeText(timeText, definition.eventTimeField);
}

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);
