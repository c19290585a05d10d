import { randomUUID } from 'node:crypto';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { withClient } from '@/lib/db/with-client';

export { withClient };

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database for tests that need to start from nothing (migrations, seeding): a new database on
 * the configured server, or a new in-memory embedded PostgreSQL when the suite runs embedded.
 */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  if (process.env.DATABASE_EMBEDDED === '1') {
    const embedded = await startEmbeddedPostgres({ maxConnections: 8 });
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
