import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Streams rows in COPY's text format (tab-separated, a row per line; build them with copyText) through
 * `statement` (`COPY ... FROM STDIN`) on the client. Give the rows in chunks of a few hundred: neither one
 * huge string nor a string per row.
 */
export function copyIn(client: pg.ClientBase, statement: string, chunks: Iterable<string>): Promise<void> {
  return pipeline(Readable.from(chunks), client.query(copyFrom(statement)));
}

/**
 * copyIn under a savepoint, for rows a unique key may already hold: a unique violation (stored already, or
 * committed meanwhile by another writer) or a deadlock undoes the attempt and answers false, for the caller
 * to write the rows with a statement that skips or merges what exists. True when every row went in.
 */
export async function copyInUnlessConflict(client: pg.ClientBase, savepoint: string, statement: string, chunks: Iterable<string>): Promise<boolean> {
  await client.query(`SAVEPOINT ${savepoint}`);
  try {
    await copyIn(client, statement, chunks);
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
