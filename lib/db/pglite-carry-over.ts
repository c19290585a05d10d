import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppError } from '@/lib/errors';
import { applyMigrations, readMigrations, type Migration } from '@/lib/db/migrate';
import { withClient } from '@/lib/db/with-client';

export interface CarryOverReport {
  /** Rows copied per table (every table of the `public` schema, the migration history included). */
  rows: Record<string, number>;
  /** Migrations the PGlite database had; the rest are applied afterwards by the usual migration step. */
  migrations: string[];
}

interface TableShape {
  name: string;
  columns: string[];
  pages: number;
}

/** Pages of the source table per COPY: about 8 MB, so memory stays flat whatever the table's size. */
const DEFAULT_CHUNK_PAGES = 1_000;

/**
 * Copies everything in a PGlite data directory (the embedded database of earlier versions) into an empty
 * PostgreSQL database at `targetUrl`. The target first gets exactly the migrations the source had, so the
 * tables match column for column; then every table's rows are copied with COPY (text format, which
 * round-trips every type exactly), in one transaction, with triggers and foreign-key checks off while it
 * fills (the source was consistent), and every sequence is set to where the source's stood. Row counts are
 * compared before the commit, so a carry-over either arrives whole or leaves the target as it was.
 */
export async function carryOverPglite(
  pgliteDir: string,
  targetUrl: string,
  options: { chunkPages?: number } = {},
): Promise<CarryOverReport> {
  const { PGlite } = await import('@electric-sql/pglite');
  const source = await PGlite.create(pgliteDir);
  try {
    const migrations = await appliedMigrations(source);
    const tables = await listTables(source);
    if (tables.length === 0) return { rows: {}, migrations: [] };
    return await withClient(targetUrl, async (target) => {
      await applyMigrations(target, migrations);
      const rows: Record<string, number> = {};
      await target.query('BEGIN');
      try {
        await target.query("SET LOCAL session_replication_role = 'replica'");
        await target.query(`TRUNCATE ${tables.map((t) => quote(t.name)).join(', ')}`);
        for (const table of tables) {
          await copyTable(source, target, table, options.chunkPages ?? DEFAULT_CHUNK_PAGES);
          rows[table.name] = await assertSameCount(source, target, table.name);
        }
        await copySequences(source, target);
        await target.query('COMMIT');
      } catch (error) {
        await target.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return { rows, migrations: migrations.map((m) => m.name) };
    });
  } finally {
    await source.close();
  }
}

/** The source's migrations, which must be this version's files unchanged (else the tables could differ). */
async function appliedMigrations(source: PGlite): Promise<Migration[]> {
  const exists = await source.query<{ t: string | null }>(`SELECT to_regclass('public."_prisma_migrations"')::text AS t`);
  if (!exists.rows[0]?.t) return [];
  const { rows } = await source.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  const known = new Map(readMigrations().map((m) => [m.name, m]));
  return rows.map((row) => {
    const migration = known.get(row.migration_name);
    if (!migration || migration.checksum !== row.checksum) {
      throw new AppError(
        'CARRY_OVER_UNKNOWN_MIGRATION',
        `The old embedded database has migration ${row.migration_name}, which this version ` +
          `${migration ? 'has in a different form' : 'does not know'}; it cannot be carried over safely.`,
      );
    }
    return migration;
  });
}

async function listTables(source: PGlite): Promise<TableShape[]> {
  const { rows } = await source.query<{ name: string; columns: string[]; pages: number }>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns,
            (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = 'public' AND c.relkind = 'r'
      GROUP BY c.oid, c.relname
      ORDER BY c.relname`,
  );
  return rows;
}

/** COPY out of PGlite (into a Blob) and into the server (COPY FROM STDIN), one range of pages at a time. */
async function copyTable(source: PGlite, target: pg.ClientBase, table: TableShape, chunkPages: number): Promise<void> {
  const columns = table.columns.map(quote).join(', ');
  // The last range is open-ended: rows can sit on pages past the size read a moment before (there are no
  // other writers, but this costs nothing).
  for (let from = 0; ; from += chunkPages) {
    const last = from + chunkPages >= table.pages;
    const range = `ctid >= '(${from},0)'::tid${last ? '' : ` AND ctid < '(${from + chunkPages},0)'::tid`}`;
    const result = await source.query(`COPY (SELECT ${columns} FROM ${quote(table.name)} WHERE ${range}) TO '/dev/blob'`);
    const blob = result.blob;
    if (blob && blob.size > 0) {
      const data = Buffer.from(await blob.arrayBuffer());
      await pipeline(Readable.from([data]), target.query(copyFrom(`COPY ${quote(table.name)} (${columns}) FROM STDIN`)));
    }
    if (last) return;
  }
}

async function assertSameCount(source: PGlite, target: pg.ClientBase, table: string): Promise<number> {
  const count = `SELECT count(*)::int AS n FROM ${quote(table)}`;
  const expected = (await source.query<{ n: number }>(count)).rows[0]!.n;
  const actual = (await target.query<{ n: number }>(count)).rows[0]!.n;
  if (actual !== expected) {
    throw new AppError('CARRY_OVER_MISMATCH', `Carrying over table ${table}: ${expected} rows in the old database, ${actual} copied.`);
  }
  return actual;
}

async function copySequences(source: PGlite, target: pg.ClientBase): Promise<void> {
  const { rows } = await source.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'S'`,
  );
  for (const { name } of rows) {
    const state = (await source.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${quote(name)}`)).rows[0]!;
    await target.query('SELECT setval($1::regclass, $2::bigint, $3)', [quote(name), state.last_value, state.is_called]);
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
