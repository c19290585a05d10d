import { describe, expect, it } from 'vitest';
import { chunksOf, COPY_CHUNK_CHARS, COPY_NULL, copyIn, copyText } from '@/lib/db/copy-in';
import { getPool } from '@/lib/db/pool';
import { inTransaction } from '@/lib/db/transaction';

const row = (i: number) => `${i}\t${copyText(`value ${i} ${'é∑😀\t\\'.repeat(i % 7)}`)}\n`;

describe('chunksOf', () => {
  it('joins rows into chunks of about COPY_CHUNK_CHARS, never splitting a row, and loses none', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => row(i));
    const chunks = [...chunksOf(rows)];
    expect(chunks.join('')).toBe(rows.join(''));
    expect(chunks.length).toBeGreaterThan(5);
    const longest = Math.max(...rows.map((r) => r.length));
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(COPY_CHUNK_CHARS);
      expect(chunk.length).toBeLessThan(COPY_CHUNK_CHARS + longest);
      expect(chunk.endsWith('\n')).toBe(true);
    }
  });

  it('gives nothing for no rows, and a row longer than a chunk whole', () => {
    expect([...chunksOf([])]).toEqual([]);
    const long = `${'x'.repeat(COPY_CHUNK_CHARS * 3)}\n`;
    expect([...chunksOf(['a\n', long, 'b\n'])]).toEqual([`a\n${long}`, 'b\n']);
  });
});

describe('copyIn', () => {
  it('stores every row of many chunks exactly, multibyte text, escapes and NULL included', async () => {
    const count = 20_000;
    const rows = function* () {
      for (let i = 0; i < count; i++) yield i % 1_000 === 0 ? `${i}\t${COPY_NULL}\n` : row(i);
    };
    const stored = await inTransaction(getPool(), async (client) => {
      await client.query('CREATE TEMP TABLE copy_in_test (n int, t text) ON COMMIT DROP');
      await copyIn(client, 'COPY copy_in_test (n, t) FROM STDIN', rows());
      return (await client.query<{ n: number; t: string | null }>('SELECT n, t FROM copy_in_test ORDER BY n')).rows;
    });
    expect(stored).toHaveLength(count);
    for (const [i, r] of stored.entries()) {
      expect(r.n).toBe(i);
      expect(r.t).toBe(i % 1_000 === 0 ? null : `value ${i} ${'é∑😀\t\\'.repeat(i % 7)}`);
    }
  });
});
