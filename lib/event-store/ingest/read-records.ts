import { Transform, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '@/lib/errors';
import { unguardCsvCell } from '@/lib/event-store/csv-cell';
import { MAX_CSV_COLUMNS, MAX_EVENT_BYTES } from '@/lib/event-store/event-limits';
import { splitJsonArray } from '@/lib/event-store/ingest/split-json-array';
import { splitLines, type LinePiece } from '@/lib/event-store/ingest/split-lines';

export type IngestFormat = 'csv' | 'ndjson' | 'json';

/**
 * One item of input: a record to validate, or a position that could not even be parsed; `text` is the
 * item's original text where it was read (never for one skipped as too long), so a rejection can show it.
 */
export type RawItem = ({ position: number; record: unknown } | { position: number; unreadable: string }) & { text?: string };

const TOO_LONG = `Longer than ${MAX_EVENT_BYTES / (1024 * 1024)} MiB, the limit for one event; skipped without reading it.`;

/**
 * Turns a byte stream in one of the three formats into records with their positions (JSON array:
 * 0-based index; NDJSON: 1-based line; CSV: 1-based line, header = line 1). Streams: memory stays flat
 * whatever the size, and no line, row or element is ever held past MAX_EVENT_BYTES: a longer one is
 * skipped to its end and comes out as `unreadable` at its position, like any line that is not valid JSON
 * or CSV; the rest goes on. The input is scanned in slices with turns of the event loop between them.
 */
export async function* readRecords(input: Readable, format: IngestFormat): AsyncGenerator<RawItem> {
  if (format === 'ndjson') yield* readNdjson(input);
  else if (format === 'csv') yield* readCsv(input);
  else yield* readJsonArray(input);
}

async function* readNdjson(input: Readable): AsyncGenerator<RawItem> {
  for await (const piece of splitLines(input, { maxBytes: MAX_EVENT_BYTES, csvQuotes: false })) {
    if ('oversize' in piece) {
      yield { position: piece.line, unreadable: TOO_LONG };
      continue;
    }
    const text = piece.line === 1 && piece.text.startsWith('\uFEFF') ? piece.text.slice(1) : piece.text;
    if (text.trim() !== '') yield parsed(piece.line, text);
  }
}

async function* readJsonArray(input: Readable): AsyncGenerator<RawItem> {
  for await (const piece of splitJsonArray(input, { maxBytes: MAX_EVENT_BYTES })) {
    if ('oversize' in piece) yield { position: piece.index, unreadable: TOO_LONG };
    else if ('unreadable' in piece) yield { position: piece.index, unreadable: piece.unreadable };
    else yield parsed(piece.index, piece.text);
  }
}

function parsed(position: number, text: string): RawItem {
  try {
    return { position, record: JSON.parse(text), text };
  } catch (error) {
    return { position, unreadable: `Not valid JSON: ${(error as Error).message}`, text };
  }
}

/** Rows parsed together: few csv-parse calls, each over at most this much text (plus one row). */
const CSV_GROUP_BYTES = 64 * 1024;

type CsvRow = { line: number; text: string };

/**
 * CSV: rows are split (and long rows skipped) before csv-parse sees them, then parsed in groups of
 * consecutive rows. A row with more columns than the header is refused without parsing: csv-parse
 * would take seconds to build a record of a million empty columns before refusing it.
 */
async function* readCsv(input: Readable): AsyncGenerator<RawItem> {
  let columns: string[] | undefined;
  let group: CsvRow[] = [];
  let groupBytes = 0;
  const flush = () => {
    const items = group.length ? parseGroup(group, columns!) : [];
    group = [];
    groupBytes = 0;
    return items;
  };
  for await (const piece of splitLines(input, { maxBytes: MAX_EVENT_BYTES, csvQuotes: true })) {
    if (!columns) {
      if (!('oversize' in piece) && piece.text.trim() === '') continue;
      columns = readHeader(piece);
      continue;
    }
    if ('oversize' in piece || piece.fields > columns.length) {
      yield* flush();
      if ('oversize' in piece) yield { position: piece.line, unreadable: TOO_LONG };
      else yield { position: piece.line, unreadable: `Not a valid CSV row: it has ${piece.fields.toLocaleString('en')} columns; the header has ${columns.length}.`, text: piece.text };
      continue;
    }
    group.push(piece);
    groupBytes += piece.text.length;
    if (groupBytes >= CSV_GROUP_BYTES) yield* flush();
  }
  if (columns) yield* flush();
}

/**
 * Consecutive rows in one csv-parse call. When one of them is malformed, csv-parse's recovery can run on
 * into the next rows (a stray quote opens a field that swallows them), so such a group is parsed again
 * row by row: every row then gets its own record or its own one refusal.
 */
function parseGroup(rows: CsvRow[], columns: string[]): RawItem[] {
  const together = parseRows(rows.map((row) => row.text).join(''), rows[0]!.line, columns);
  if (together.every((item) => 'record' in item)) {
    // A record's position is the line it ends on; a row's own line is where it starts.
    const byEndLine = new Map(rows.map((row) => [row.line + lineBreaksWithin(row.text), row.text]));
    return together.map((item) => ({ ...item, text: byEndLine.get(item.position) }));
  }
  return rows.flatMap((row) => parseRows(row.text, row.line, columns).slice(0, 1).map((item) => ({ ...item, text: row.text })));
}

/** Line breaks (LF, CRLF or lone CR, as the splitter counts them) inside a row, not counting its own end. */
function lineBreaksWithin(text: string): number {
  return text.replace(/(?:\r\n|\r|\n)$/, '').match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** Rows starting at `firstLine`, parsed at once; each record or refusal at its own line. */
function parseRows(text: string, firstLine: number, columns: string[]): RawItem[] {
  const items: RawItem[] = [];
  const records = parseCsv(text, {
    columns,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    cast: unguardCsvCell,
    on_skip: (error: { message: string; lines?: number } | undefined) => {
      if (error) items.push({ position: firstLine - 1 + (error.lines ?? 1), unreadable: `Not a valid CSV row: ${error.message.replace(/ (?:on|at) line \d+.*$/, '')}` });
    },
  }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  for (const { record, info } of records) items.push({ position: firstLine - 1 + info.lines, record });
  return items;
}

/** The header row's field names; a request without a readable header cannot go on, so this throws a 400 naming it. */
function readHeader(piece: LinePiece): string[] {
  const refuse = (problem: string) => new AppError('INVALID_CSV_HEADER', `The CSV header (line ${piece.line}) ${problem}`, { status: 400, details: { line: piece.line } });
  if ('oversize' in piece) throw refuse(`is longer than ${MAX_EVENT_BYTES / (1024 * 1024)} MiB; the first row must name the definition’s fields.`);
  if (piece.fields > MAX_CSV_COLUMNS) throw refuse(`has ${piece.fields.toLocaleString('en')} columns; the limit is ${MAX_CSV_COLUMNS.toLocaleString('en')}. The first row must name the definition’s fields.`);
  try {
    const [names = []] = parseCsv(piece.text, { bom: true }) as string[][];
    return names.map((name) => name.trim());
  } catch (error) {
    throw refuse(`could not be read: ${(error as Error).message}`);
  }
}

/** Fails the stream with `onLimit()` once more than `maxBytes` have passed; counts bytes for progress. */
export function byteLimit(maxBytes: number, onLimit: () => Error, counter: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.length;
      if (counter.bytes > maxBytes) callback(onLimit());
      else callback(null, chunk);
    },
  });
}
