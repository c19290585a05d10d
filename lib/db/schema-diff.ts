import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';

const require = createRequire(import.meta.url);

/**
 * SQL that turns a database shaped like `fromSchema` (or an empty one) into `toSchema`, written by Prisma's
 * own differ: Prisma 6.19's WASM schema engine, since Prisma 7's native engine cannot be downloaded here.
 * Returns '' when the two agree. Paths are schema.prisma files; neither is changed.
 */
export async function diffSchemas(fromSchema: string | 'empty', toSchema: string, root = process.cwd()): Promise<string> {
  const scratch = await startEmbeddedPostgres();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'schema-diff-'));
  try {
    const copy = (file: string, name: string) => {
      const target = path.join(tmp, name);
      writeFileSync(target, withDatasourceUrl(readFileSync(file, 'utf8')));
      return target;
    };
    const from = fromSchema === 'empty' ? ['--from-empty'] : ['--from-schema-datamodel', copy(fromSchema, 'from.prisma')];
    const cli = path.join(path.dirname(require.resolve('prisma-migrate-diff/package.json')), 'build', 'index.js');
    const output = await run(
      process.execPath,
      [
        cli, 'migrate', 'diff',
        '--config', path.join(root, 'prisma', 'migrate-diff.config.mjs'),
        ...from,
        '--to-schema-datamodel', copy(toSchema, 'to.prisma'),
        '--script',
      ],
      {
        ...process.env,
        MIGRATE_DIFF_DATABASE_URL: scratch.url,
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      },
      root,
    );
    return meaningfulSql(output);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await scratch.stop();
  }
}

// Prisma 6 requires `url` in the datasource block, Prisma 7 forbids it: the copies get one.
function withDatasourceUrl(schema: string): string {
  return schema.replace(/provider\s*=\s*"postgresql"/, (m) => `${m}\n  url = env("MIGRATE_DIFF_DATABASE_URL")`);
}

/** Drops the CLI's banner, comments and the no-op `CREATE SCHEMA IF NOT EXISTS "public"`. */
function meaningfulSql(output: string): string {
  const statements = output
    .split('\n')
    .filter((line) => !/^(Loaded Prisma config|Prisma config detected)/.test(line))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) =>
      statement
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((statement) => statement && !/^CREATE SCHEMA IF NOT EXISTS "public"$/i.test(statement));
  return statements.length ? statements.join(';\n\n') + ';\n' : '';
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`prisma migrate diff exited with ${code}: ${stderr.trim() || stdout.trim()}`));
    });
  });
}
