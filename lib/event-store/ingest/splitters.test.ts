import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { splitJsonArray } from '@/lib/event-store/ingest/split-json-array';
import { splitLines } from '@/lib/event-store/ingest/split-lines';

/** `text` as UTF-8 bytes cut at the given offsets: splitters must not care where chunks end (mid-character included). */
function chunked(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...at, bytes.length].map((end, i) => bytes.subarray(i ? at[i - 1]! : 0, end)).filter((b) => b.length);
}
const collect = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};
const cuts = fc.array(fc.nat(), { maxLength: 8 });

describe('splitLines', () => {
  it('gives the lines readline gives (LF, CRLF, lone CR), wherever the chunks end', async () => {
    const lineText = fc.string({ unit: fc.constantFrom('a', 'é', '🧾', ' ', '"', ',', '\n', '\r') });
    await fc.assert(
      fc.asyncProperty(lineText, cuts, async (text, at) => {
        const expected = await collect(createInterface({ input: Readable.from([Buffer.from(text)]), crlfDelay: Infinity }));
        const pieces = await collect(splitLines(chunked(text, at), { maxBytes: 1 << 20, csvQuotes: false }));
        expect(pieces.map((p) => ('text' in p ? p.text.replace(/\r?\n$|\r$/, '') : null))).toEqual(expected);
        expect(pieces.map((p) => p.line)).toEqual(expected.map((_, i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('CSV: keeps line breaks inside quotes in the row, counts columns, and gives the rows csv-parse reads', async () => {
    const cell = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'é', ' ') }), fc.string({ unit: fc.constantFrom('a', ',', '\n', '\r\n', '""') }).map((s) => `"${s}"`));
    const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }).map((rows) => rows.map((r) => r.join(',')).join('\r\n'));
    await fc.assert(
      fc.asyncProperty(csv, cuts, async (text, at) => {
        const pieces = await collect(splitLines(chunked(text, at), { maxBytes: 1 << 20, csvQuotes: true }));
        const options = { relax_column_count: true, skip_empty_lines: true };
        const rows = pieces.map((p) => ('text' in p ? (parseCsv(p.text, options) as string[][]) : []));
        expect(rows.flat()).toEqual(parseCsv(text, options));
        for (const [i, piece] of pieces.entries()) expect(piece.fields).toBe(rows[i]![0]?.length ?? piece.fields);
      }),
      { numRuns: 300 },
    );
  });

  it('skips a line longer than the limit without holding it, and goes on at the next line', async () => {
    const text = 'short\n' + 'x'.repeat(5_000) + '\r\nafter\n';
    const pieces = await collect(splitLines(chunked(text, [3, 100, 4_000]), { maxBytes: 1_000, csvQuotes: false }));
    expect(pieces).toEqual([
      { line: 1, fields: 1, text: 'short\n' },
      { line: 2, fields: 1, oversize: true },
      { line: 3, fields: 1, text: 'after\n' },
    ]);
  });
});

describe('splitJsonArray', () => {
  it('gives each element of any JSON array as its own text, wherever the chunks end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue()), fc.constantFrom(0, 2), cuts, async (array, indent, at) => {
        const pieces = await collect(splitJsonArray(chunked(JSON.stringify(array, null, indent), at), { maxBytes: 1 << 20 }));
        expect(pieces.map((p) => ('text' in p ? JSON.parse(p.text) : p))).toEqual(JSON.parse(JSON.stringify(array)));
        expect(pieces.map((p) => p.index)).toEqual(array.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['[{"a":1}, 2 ,]', [{ index: 0, text: '{"a":1}' }, { index: 1, text: '2 ' }, { index: 2, unreadable: expect.stringMatching(/^There is no event here/) }]],
    ['[1,,2]', [{ index: 0, text: '1' }, { index: 1, unreadable: expect.stringMatching(/^There is no event here/) }, { index: 2, text: '2' }]],
    ['[{"a": }, {"b": "]"}]', [{ index: 0, text: '{"a": }' }, { index: 1, text: '{"b": "]"}' }]],
    ['\ufeff [ ] ', []],
    ['{"a":1}', [{ index: 0, unreadable: 'The body must be a JSON array of events (or use NDJSON: one event per line).' }]],
    ['', [{ index: 0, unreadable: 'The body must be a JSON array of events (or use NDJSON: one event per line).' }]],
    ['[1, {"a": "open', [{ index: 0, text: '1' }, { index: 1, unreadable: expect.stringMatching(/without its closing “]”/) }]],
    ['[1] 2', [{ index: 0, text: '1' }, { index: 1, unreadable: expect.stringMatching(/more text after/) }]],
    ['["\\\\", "\\"]"]', [{ index: 0, text: '"\\\\"' }, { index: 1, text: '"\\"]"' }]],
  ])('%j', async (text, expected) => {
    expect(await collect(splitJsonArray(chunked(text, [1, 5, 9]), { maxBytes: 1 << 20 }))).toEqual(expected);
  });

  it('skips an element longer than the limit, however deep, and goes on with the next', async () => {
    const text = `[1, ${'['.repeat(1_500)}${']'.repeat(1_500)}, "${'x'.repeat(5_000)}", 2]`;
    expect(await collect(splitJsonArray(chunked(text, [10, 2_000, 7_000]), { maxBytes: 4_000 }))).toEqual([
      { index: 0, text: '1' },
      { index: 1, text: `${'['.repeat(1_500)}${']'.repeat(1_500)}` },
      { index: 2, oversize: true },
      { index: 3, text: '2' },
    ]);
  });
});
