import type pg from 'pg';
import { createPool } from '@/lib/db/create-pool';
import { requireDatabaseUrl } from '@/lib/db/database-url';

/** How long a checkout may wait for a new connection before it fails (instead of hanging a request). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Longest statement a web request may run: a runaway query is cancelled by the server, not left holding locks. */
export const REQUEST_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * What a pool is for. `requests`: serving web requests, every statement under the 30 s timeout.
 * `work`: long-running work in its own process (runs, backfills, the bench, seeding large data), where
 * one statement may legitimately take longer; it still has the connection timeout.
 */
export type PoolPurpose = 'requests' | 'work';

/** The settings every pool of the app uses (the data-plane pools here, and Prisma's adapter pool). */
export function poolConfig(purpose: PoolPurpose, connectionString = requireDatabaseUrl()): pg.PoolConfig {
  return {
    connectionString,
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(purpose === 'requests' ? { statement_timeout: REQUEST_STATEMENT_TIMEOUT_MS } : {}),
  };
}

const globalForPool = globalThis as unknown as { dataPlanePools?: Partial<Record<PoolPurpose, pg.Pool>> };

function pool(purpose: PoolPurpose): pg.Pool {
  const pools = (globalForPool.dataPlanePools ??= {});
  return (pools[purpose] ??= createPool(poolConfig(purpose)));
}

/**
 * The data-plane pool for web requests (plain `pg`, set-based SQL; statement timeout 30 s). One per
 * process, kept on globalThis so Next's dev reloads don't open a new pool on every change.
 */
export function getPool(): pg.Pool {
  return pool('requests');
}

/** The data-plane pool for long-running work outside requests: no statement timeout. */
export function getWorkPool(): pg.Pool {
  return pool('work');
}

/** Closes the pools (scripts and tests). */
export async function closePool(): Promise<void> {
  const pools = globalForPool.dataPlanePools ?? {};
  globalForPool.dataPlanePools = undefined;
  await Promise.all(Object.values(pools).map((p) => p.end()));
}
