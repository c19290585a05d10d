import { NextByte, RecordBytes, slices, type ByteSource } from '@/lib/event-store/ingest/record-bytes';

/** One element of a top-level JSON array: its text, or why it cannot be given (too long, or the array's shape). */
export type ElementPiece = { index: number; text: string } | { index: number; oversize: true } | { index: number; unreadable: string };

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const BOM = new Set([0xef, 0xbb, 0xbf]);
const [QUOTE, BACKSLASH, COMMA, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [0x22, 0x5c, 0x2c, 0x7b, 0x7d, 0x5b, 0x5d];

/**
 * Splits the byte stream of a JSON array into the text of each element, by scanning for the commas and
 * the closing bracket that are outside strings and nested brackets. Parsing is left to JSON.parse, one
 * element at a time; nesting is only counted, so no depth can overflow anything. An element longer than
 * `maxBytes` is skipped to its end and reported as `oversize`, never held whole. A broken element
 * (say, `{"a": }`) stays one element for JSON.parse to refuse; the ones after it are still read.
 */
export async function* splitJsonArray(input: ByteSource, options: { maxBytes: number }): AsyncGenerator<ElementPiece> {
  const element = new RecordBytes(options.maxBytes);
  let state: 'start' | 'between' | 'element' | 'after' = 'start';
  let index = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  const finish = (): ElementPiece => {
    const text = element.take();
    return text === null ? { index, oversize: true } : { index, text };
  };

  for await (const chunk of slices(input)) {
    const quote = new NextByte(chunk, QUOTE);
    const backslash = new NextByte(chunk, BACKSLASH);
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (state === 'element' && inString) {
        // Texts are most of the bytes: jump to the next quote or backslash instead of looking at each byte.
        if (escaped) {
          escaped = false;
          continue;
        }
        const end = Math.min(quote.from(i), backslash.from(i));
        if (end === Infinity) break;
        if (chunk[end] === QUOTE) inString = false;
        else escaped = true;
        i = end;
        continue;
      }
      const byte = chunk[i]!;
      if (state === 'element') {
        if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
        else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && depth > 0) depth -= 1;
        else if (depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
          element.add(chunk, from, i);
          yield finish();
          index += 1;
          state = byte === COMMA ? 'between' : 'after';
        }
        continue;
      }
      if (WHITESPACE.has(byte) || (state === 'start' && BOM.has(byte))) continue;
      if (state === 'start') {
        if (byte !== OPEN_BRACKET) {
          yield { index: 0, unreadable: 'The body must be a JSON array of events (or use NDJSON: one event per line).' };
          return;
        }
        state = 'between';
      } else if (state === 'between') {
        if (byte === COMMA || byte === CLOSE_BRACKET) {
          // "[]" is an empty array; "[1,]" and "[1,,2]" have a gap where an event should be.
          if (byte === COMMA || index > 0) yield { index, unreadable: 'There is no event here: two commas in a row, or a comma before “]”.' };
          if (byte === COMMA) index += 1;
          else state = 'after';
        } else {
          state = 'element';
          from = i;
          depth = 0;
          i -= 1; // read this byte again as the element's first
        }
      } else {
        yield { index, unreadable: 'There is more text after the array’s closing “]”; send one JSON array.' };
        return;
      }
    }
    if (state === 'element') element.add(chunk, from, chunk.length);
  }
  if (state === 'start') yield { index: 0, unreadable: 'The body must be a JSON array of events (or use NDJSON: one event per line).' };
  else if (state === 'element' || state === 'between') {
    yield { index, unreadable: 'The JSON array ends here without its closing “]” (or inside a text left open); the events before it were read.' };
  }
}
