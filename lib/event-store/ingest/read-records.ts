import { Readable, Transform } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { AppError } from '@/lib/errors';

export type IngestFormat = 'csv' | 'ndjson' | 'json';

/** One item of input: a record to validate, or a position that could not even be parsed. */
export type RawItem = { position: number; record: unknown } | { position: number; unreadable: string };

/** Values we put a quote before on CSV export (see csvCell); an upload takes exactly that one away again. */
const FORMULA_GUARD = /^'[=+\-@\t\r']/;

/**
 * Turns a byte stream in one of the three formats into records with their positions (JSON array:
 * 0-based index; NDJSON: 1-based line; CSV: 1-based line, header = line 1). Streams: memory stays flat
 * whatever the size. A line that is not valid JSON or CSV comes out as `unreadable`; the rest goes on.
 */
export async function* readRecords(input: Readable, format: IngestFormat): AsyncGenerator<RawItem> {
  if (format === 'ndjson') yield* readNdjson(input);
  else if (format === 'csv') yield* readCsv(input);
  else yield* readJsonArray(input);
}

async function* readNdjson(input: Readable): AsyncGenerator<RawItem> {
  let line = 0;
  for await (let text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') continue;
    try {
      yield { position: line, record: JSON.parse(text) };
    } catch (error) {
      yield { position: line, unreadable: `Not valid JSON: ${(error as Error).message}` };
    }
  }
}

async function* readCsv(input: Readable): AsyncGenerator<RawItem> {
  const skipped: RawItem[] = [];
  const csv = input.pipe(
    parseCsv({
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      cast: (value: string) => (FORMULA_GUARD.test(value) ? value.slice(1) : value),
    }),
  );
  forwardErrors(input, csv);
  csv.on('skip', (error: { message: string; lines?: number }) => {
    skipped.push({ position: error.lines ?? 0, unreadable: `Not a valid CSV row: ${error.message}` });
  });
  for await (const item of csv as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift()!;
    yield { position: item.info.lines, record: item.record };
  }
  while (skipped.length) yield skipped.shift()!;
}

async function* readJsonArray(input: Readable): AsyncGenerator<RawItem> {
  const items = input.pipe(streamArray.withParserAsStream());
  forwardErrors(input, items);
  let sourceFailed = false;
  input.once('error', () => (sourceFailed = true));
  let index = -1;
  try {
    for await (const { key, value } of items as AsyncIterable<{ key: number; value: unknown }>) {
      index = key;
      yield { position: key, record: value };
    }
  } catch (error) {
    // Only the parser's own complaints are about the input; the body's (size limit, aborted upload) go on up.
    if (error instanceof AppError || sourceFailed) throw error;
    const message = (error as Error).message;
    yield {
      position: index + 1,
      unreadable: /Top-level object should be an array/.test(message)
        ? 'The body must be a JSON array of events (or use NDJSON: one event per line).'
        : `The JSON could not be read from here on: ${message}`,
    };
  }
}

/** `pipe` does not pass errors on: without this a size-limit error upstream would leave the parser waiting forever. */
function forwardErrors(from: Readable, to: NodeJS.ReadableStream & { destroy(error?: Error): unknown }) {
  from.once('error', (error) => to.destroy(error));
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
