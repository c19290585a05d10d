import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Streams rows in COPY's text format (tab-separated, each ending in a newline; build them with copyText)
 * through `statement` (`COPY ... FROM STDIN`) on the client, joined into chunks of about COPY_CHUNK_CHARS.
 */
export function copyIn(client: pg.ClientBase, statement: string, rows: Iterable<string>): Promise<void> {
  return pipeline(Readable.from(chunksOf(rows)), client.query(copyFrom(statement)));
}

/**
 * Characters per chunk of COPY text. Neither a string per row (a stream write each) nor a few hundred
 * kilobytes: a string past V8's largest regular object (128 KB) gets pages of its own, mapped fresh and
 * faulted in for each chunk, then its UTF-8 copy again; on a VM where a page fault costs ~10 µs that made
 * encoding 300 KB chunks cost 4 ns a byte, against 1 ns for 16 KB ones.
 */
export const COPY_CHUNK_CHARS = 16_384;

/** The rows joined into strings of about COPY_CHUNK_CHARS (a row is never split). */
export function* chunksOf(rows: Iterable<string>): Generator<string> {
  let text = '';
  for (const row of rows) {
    text += row;
    if (text.length >= COPY_CHUNK_CHARS) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}

/**
 * copyIn under a savepoint, for rows a unique key may already hold: a unique violation (stored already, or
 * committed meanwhile by another writer) or a deadlock undoes the attempt and answers false, for the caller
 * to write the rows with a statement that skips or merges what exists. True when every row went in.
 */
export async function copyInUnlessConflict(client: pg.ClientBase, savepoint: string, statement: string, rows: Iterable<string>): Promise<boolean> {
  await client.query(`SAVEPOINT ${savepoint}`);
  try {
    await copyIn(client, statement, rows);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '40P01') throw error;
    await client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    return false;
  }
  await client.query(`RELEASE SAVEPOINT ${savepoint}`);
  return true;
}

/** A text value for COPY's text format: backslashes, tabs, newlines and carriage returns escaped. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;
}

/** A text[] value for COPY: the array literal with every element quoted, then escaped as text. */
export function copyTextArray(values: readonly string[]): string {
  return copyText(`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
}

/** NULL in COPY's text format. */
export const COPY_NULL = '\\N';
