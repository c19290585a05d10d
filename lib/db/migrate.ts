import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { AppError } from '@/lib/errors';

export const DEFAULT_MIGRATIONS_DIR = path.join(process.cwd(), 'prisma', 'migrations');

// Arbitrary constant: every process that migrates this database takes the same lock.
const MIGRATION_LOCK_KEY = 7_263_514_901;

export interface Migration {
  name: string;
  sql: string;
  /** sha256 of the file, as Prisma records it, so `prisma migrate status` agrees where its engine runs. */
  checksum: string;
}

/** Reads `prisma/migrations/<timestamp>_<name>/migration.sql` in name order (Prisma's layout). */
export function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Migration[] {
  if (!existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(/*turbopackIgnore: true*/ path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// The same table Prisma Migrate keeps, so either tool can take over a database the other started.
const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending migrations, each in its own transaction together with its history row, so a failure
 * leaves the database at the last whole migration. Safe when several processes start at once: each
 * transaction takes an advisory lock and re-reads the history after getting it. Idempotent.
 * Refuses to run when an applied migration's file was edited afterwards.
 */
export async function applyMigrations(client: pg.ClientBase, migrations = readMigrations()): Promise<MigrationReport> {
  await inLockedTransaction(client, () => client.query(CREATE_HISTORY_TABLE));
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    await inLockedTransaction(client, async () => {
      const { rows } = await client.query<{ checksum: string }>(
        `SELECT checksum FROM "_prisma_migrations"
          WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [migration.name],
      );
      if (rows[0]) {
        if (rows[0].checksum !== migration.checksum) {
          throw new AppError(
            'MIGRATION_MODIFIED',
            `Migration ${migration.name} was changed after it was applied to this database. ` +
              'Restore the file and put the change in a new migration (npm run db:migration -- <name>).',
          );
        }
        report.alreadyApplied.push(migration.name);
        return;
      }
      try {
        await client.query(migration.sql);
      } catch (error) {
        throw new AppError('MIGRATION_FAILED', `Migration ${migration.name} failed: ${(error as Error).message}`, {
          status: 500,
          cause: error,
        });
      }
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      report.applied.push(migration.name);
    });
  }
  return report;
}

async function inLockedTransaction(client: pg.ClientBase, work: () => Promise<unknown>): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
