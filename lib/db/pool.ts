import type pg from 'pg';
import { createPool } from '@/lib/db/create-pool';
import { requireDatabaseUrl } from '@/lib/db/database-url';

const globalForPool = globalThis as unknown as { dataPlanePool?: pg.Pool };

/**
 * The data-plane pool (plain `pg`, set-based SQL). One per process, kept on globalThis so Next's dev
 * reloads don't open a new pool on every change.
 */
export function getPool(): pg.Pool {
  if (!globalForPool.dataPlanePool) {
    globalForPool.dataPlanePool = createPool({
      connectionString: requireDatabaseUrl(),
      max: Number(process.env.DATABASE_POOL_MAX ?? 10),
      idleTimeoutMillis: 30_000,
    });
  }
  return globalForPool.dataPlanePool;
}

/** Closes the pool (scripts and tests). */
export async function closePool(): Promise<void> {
  const pool = globalForPool.dataPlanePool;
  globalForPool.dataPlanePool = undefined;
  await pool?.end();
}
