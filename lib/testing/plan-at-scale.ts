import type pg from 'pg';

/**
 * The plan PostgreSQL would choose for `query` on a big table: test tables are small, so sequential and bitmap
 * scans are switched off (in a transaction rolled back at once), and sorting too (with a few rows per branch,
 * sorting them beats merging; at scale the merge wins, as the replay bench's plan shows).
 */
export async function planAtScale(pool: pg.Pool, query: { text: string; values: unknown[] }): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    await client.query('SET LOCAL enable_bitmapscan = off');
    await client.query('SET LOCAL enable_sort = off');
    return (await client.query({ text: `EXPLAIN ${query.text}`, values: query.values })).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
