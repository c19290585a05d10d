import pg from 'pg';
import { logger } from '@/lib/logger';

/**
 * A `pg` pool that survives a server dropping an idle connection (a restart, an administrator's
 * terminate, `DROP DATABASE ... WITH (FORCE)`). Without an 'error' listener pg-pool re-emits such an
 * error as an uncaught exception and the process dies; with it the pool discards the client, logs one
 * line and opens a new connection on the next checkout.
 */
export function createPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', (error) => {
    logger.warn({ code: (error as { code?: string }).code, message: error.message }, 'an idle database connection was closed by the server');
  });
  return pool;
}
