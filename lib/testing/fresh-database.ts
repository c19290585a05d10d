import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withClient } from '@/lib/db/with-client';

export { withClient };

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database for tests that need to start from nothing (migrations, seeding): a new database on
 * the configured server (the embedded one is a real PostgreSQL server too).
 */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const adminUrl = process.env.DATABASE_URL!;
  const name = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withClient(adminUrl, (c) => dropWhenIdle(c, name)),
  };
}

/**
 * pg-pool's `end()` resolves before its sockets have closed, so a database dropped right after may still
 * have sessions on their way out. Wait (up to 5 s) for them to leave; FORCE only ends stragglers.
 */
async function dropWhenIdle(client: pg.Client, name: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if (rows[0]!.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
