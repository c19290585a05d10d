import { NextByte, RecordBytes, slices, type ByteSource } from '@/lib/event-store/ingest/record-bytes';

/**
 * One line (NDJSON) or row (CSV) of input: its text with the line break, or only the fact that it was too
 * long. `fields` counts the commas outside quotes, plus one (CSV only): a row's columns, known without parsing it.
 */
export type LinePiece = { line: number; fields: number } & ({ text: string } | { oversize: true });

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * Splits a byte stream into lines at LF, CRLF or a lone CR (as readline does), each with its 1-based
 * starting line number, without ever holding more than `maxBytes` of one line: a longer line is skipped
 * to its end and reported as `oversize`. With `csvQuotes`, line breaks inside double-quoted fields belong
 * to the row (they still count as lines), so a piece is one CSV row. Jumps from one byte of interest to the next
 * with Buffer.indexOf rather than looking at every byte.
 */
export async function* splitLines(input: ByteSource, options: { maxBytes: number; csvQuotes: boolean }): AsyncGenerator<LinePiece> {
  const current = new RecordBytes(options.maxBytes);
  let line = 1; // the line being read
  let startLine = 1; // where the current piece began
  let inQuotes = false;
  let afterCr = false; // the last byte was a CR outside quotes: the line ends there, or after an LF that follows
  let fields = 1;
  let offset = 0; // position of the chunk's first byte in the whole input
  let lastByte = -1; // the byte before the chunk (-1: none yet)
  let closedAt = -2; // position of the last quote that closed a quoted field
  const finish = (): LinePiece => {
    const text = current.take();
    const piece: LinePiece = text === null ? { line: startLine, fields, oversize: true } : { line: startLine, fields, text };
    startLine = line;
    fields = 1;
    return piece;
  };

  for await (const chunk of slices(input)) {
    const [lf, cr, quote, comma] = [LF, CR, QUOTE, COMMA].map((byte) => new NextByte(chunk, byte)) as [NextByte, NextByte, NextByte, NextByte];
    let from = 0; // start of the current piece's bytes in this chunk
    let i = 0;
    while (i < chunk.length) {
      if (afterCr) {
        afterCr = false;
        const end = chunk[i] === LF ? i + 1 : i;
        current.add(chunk, from, end);
        from = i = end;
        yield finish();
        continue;
      }
      i = Math.min(lf.from(i), cr.from(i), options.csvQuotes ? quote.from(i) : Infinity, options.csvQuotes && !inQuotes ? comma.from(i) : Infinity);
      if (i === Infinity) break;
      const byte = chunk[i];
      i += 1;
      if (byte === LF) {
        line += 1;
        if (!inQuotes) {
          current.add(chunk, from, i);
          from = i;
          yield finish();
        }
      } else if (byte === CR) {
        if (!inQuotes) {
          line += 1;
          afterCr = true;
          current.add(chunk, from, i);
          from = i;
        }
      } else if (byte === QUOTE) {
        // As csv-parse reads it: a quote opens a field only at its start, or right after the quote that
        // closed it (a "" escape); elsewhere it is stray, and csv-parse will refuse that one row.
        const at = offset + i - 1;
        const before = i >= 2 ? chunk[i - 2]! : lastByte;
        if (inQuotes) {
          inQuotes = false;
          closedAt = at;
        } else if (before === -1 || before === COMMA || before === LF || before === CR || closedAt === at - 1) inQuotes = true;
      } else fields += 1; // a comma outside quotes
    }
    current.add(chunk, from, chunk.length);
    offset += chunk.length;
    lastByte = chunk[chunk.length - 1] ?? lastByte;
  }
  if (!current.empty) yield finish();
}
