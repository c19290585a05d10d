import { getPool } from '@/lib/db/pool';
import { readMigrations } from '@/lib/db/migrate';
import { logger } from '@/lib/logger';

export interface Health {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  migrations: { applied: number; pending: number } | null;
  latencyMs: number;
}

/** Asks the database one cheap question and compares its migration history with the files. */
export async function checkHealth(): Promise<Health> {
  const started = performance.now();
  try {
    const { rows } = await getPool().query<{ name: string }>(
      `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.name));
    const pending = readMigrations().filter((m) => !applied.has(m.name)).length;
    return {
      status: pending === 0 ? 'ok' : 'degraded',
      database: 'up',
      migrations: { applied: applied.size, pending },
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    logger.warn({ err: error }, 'health check: database unavailable');
    return { status: 'degraded', database: 'down', migrations: null, latencyMs: Math.round(performance.now() - started) };
  }
}
