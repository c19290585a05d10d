import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations, type Migration } from '@/lib/db/migrate';
import { createFreshDatabase, withClient, type FreshDatabase } from '@/lib/testing/fresh-database';

const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: `sum-of-${sql}` });

describe('applyMigrations on a fresh database', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await createFreshDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies the project migrations once and is a no-op the second time', async () => {
    const all = readMigrations();
    expect(all.length).toBeGreaterThan(0);
    const first = await withClient(db.url, (c) => applyMigrations(c));
    expect(first.applied).toEqual(all.map((m) => m.name));
    const second = await withClient(db.url, (c) => applyMigrations(c));
    expect(second).toEqual({ applied: [], alreadyApplied: all.map((m) => m.name) });
    const tables = await withClient(db.url, (c) =>
      c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`),
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['_prisma_migrations', 'event_definitions', 'event_stores', 'events', 'workspaces']),
    );
  });

  it('leaves no half-applied migration behind and resumes after the fix', async () => {
    const good = migration('900_good', 'CREATE TABLE t_good (id int)');
    const bad = migration('901_bad', 'CREATE TABLE t_bad (id int); SELECT 1/0');
    const error = await withClient(db.url, (c) => applyMigrations(c, [good, bad])).catch((e) => e);
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.userMessage).toMatch(/901_bad failed: division by zero/);
    const state = await withClient(db.url, (c) =>
      c.query(`SELECT to_regclass('t_good') AS good, to_regclass('t_bad') AS bad,
                      (SELECT array_agg(migration_name ORDER BY migration_name) FROM "_prisma_migrations"
                        WHERE migration_name LIKE '90%') AS names`),
    );
    expect(state.rows[0]).toEqual({ good: 't_good', bad: null, names: ['900_good'] });

    const fixed = migration('901_bad', 'CREATE TABLE t_bad (id int)');
    const report = await withClient(db.url, (c) => applyMigrations(c, [good, fixed]));
    expect(report).toEqual({ applied: ['901_bad'], alreadyApplied: ['900_good'] });
  });

  it('refuses to continue when an applied migration was edited afterwards', async () => {
    const original = migration('910_edit_me', 'CREATE TABLE t_edit (id int)');
    await withClient(db.url, (c) => applyMigrations(c, [original]));
    const edited = migration('910_edit_me', 'CREATE TABLE t_edit (id bigint)');
    const error = await withClient(db.url, (c) => applyMigrations(c, [edited])).catch((e) => e);
    expect(error.code).toBe('MIGRATION_MODIFIED');
    expect(error.userMessage).toContain('910_edit_me was changed after it was applied');
  });
});

describe('two processes migrating one fresh database at once', () => {
  it('both succeed and each migration is applied exactly once', async () => {
    const db = await createFreshDatabase();
    try {
      const results = await Promise.all([runMigrateProcess(db.url), runMigrateProcess(db.url)]);
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const history = await withClient(db.url, (c) =>
        c.query(`SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1`),
      );
      expect(history.rows).toEqual(readMigrations().map((m) => ({ migration_name: m.name, n: 1 })));
    } finally {
      await db.drop();
    }
  });
});

function runMigrateProcess(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/db-migrate.ts'], {
      env: { ...process.env, DATABASE_URL: url },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}
