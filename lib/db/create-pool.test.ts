import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '@/lib/db/create-pool';
import { withClient } from '@/lib/db/with-client';

describe('a pool whose idle connection the server ends', () => {
  const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 2 });
  afterAll(() => pool.end());

  it('drops that connection quietly and serves the next query on a new one', async () => {
    const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const removed = new Promise((resolve) => pool.once('remove', resolve));
    await withClient(process.env.DATABASE_URL!, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
    await removed;
    const next = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    expect(next).not.toBe(pid);
  });
});
