// Writes the next SQL migration from the change to prisma/schema.prisma since the last migration.
// Each migration folder keeps a copy of the schema it was made from (schema.prisma), the "from" side of
// the next diff. Usage: npm run db:migration -- add_meter_versions
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from '@/lib/db/migrate';
import { diffSchemas } from '@/lib/db/schema-diff';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Usage: npm run db:migration -- <name_in_snake_case>');
    process.exit(2);
  }
  const latest = readMigrations().at(-1);
  let from: string | 'empty' = 'empty';
  if (latest) {
    from = path.join(DEFAULT_MIGRATIONS_DIR, latest.name, 'schema.prisma');
    if (!existsSync(from)) throw new Error(`${from} is missing: each migration keeps the schema it was made from.`);
  }
  const current = path.join('prisma', 'schema.prisma');
  const sql = await diffSchemas(from, current);
  if (!sql) {
    console.log('prisma/schema.prisma has not changed since the last migration: nothing to write.');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(DEFAULT_MIGRATIONS_DIR, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'migration.sql'), sql);
  copyFileSync(current, path.join(dir, 'schema.prisma'));
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql. Review it, then run "npm run db:migrate".\n\n${sql}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
