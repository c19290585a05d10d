import type pg from 'pg';
import { settle, unwrap, type Settled } from '@/lib/pipeline/settle';

/**
 * The pages of a keyset scan read in ONE `REPEATABLE READ READ ONLY` transaction on a client of its own: the
 * first page's query takes the snapshot and every later page reads it, so a run reads its scope as of its
 * start (the Event Store and Business Events sources). `readPage(client, last)` reads the page after the
 * row `last` (the first page for null); a page shorter than `pageSize` is the last. The next page is read
 * while the caller works on the current one, so at most two are held. Ending the iteration early waits for
 * a page still in flight, rolls back and gives the client back.
 */
export async function* snapshotPages<Row>(
  pool: pg.Pool,
  readPage: (client: pg.ClientBase, last: Row | null) => Promise<Row[]>,
  pageSize: number,
  afterPage?: (page: number) => Promise<void>,
): AsyncGenerator<Row[]> {
  const client = await pool.connect();
  let next: Promise<Settled<Row[]>> | null = null;
  let done = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    next = settle(readPage(client, null));
    for (let page = 1; next; page++) {
      const rows: Row[] = unwrap(await next);
      next = null;
      const last = rows.at(-1);
      if (rows.length === pageSize && last !== undefined) next = settle(readPage(client, last));
      await afterPage?.(page);
      if (rows.length) yield rows;
    }
    await client.query('COMMIT');
    done = true;
  } finally {
    // A page still in flight (the run stopped early) must finish before the client goes back to the pool.
    if (next) await next;
    if (!done) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
