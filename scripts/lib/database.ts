import { existsSync } from 'node:fs';
import path from 'node:path';
import { assertDatabaseReachable } from '@/lib/db/connection';
import { embeddedDatabaseUrl, persistentPassword, startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { carryOverLegacyData } from './carry-over';

export const DATA_ROOT = path.join(process.cwd(), '.data');
export const EMBEDDED_DATA_DIR = path.join(DATA_ROOT, 'postgres');

/**
 * Uses DATABASE_URL when set; otherwise starts the embedded PostgreSQL (persistent under .data/postgres, or
 * in a temporary directory for tests and benchmarks) and points DATABASE_URL at it for this process and its
 * children. When a running console already serves the persistent one (npm start), scripts such as seed and
 * user:add use that. The first persistent start carries over the data of an earlier version's .data/pglite.
 */
export async function resolveDatabase(mode: { persistent: boolean }): Promise<EmbeddedPostgres | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const port = mode.persistent ? Number(process.env.EMBEDDED_DB_PORT ?? 54329) : 0;
  if (mode.persistent && !process.argv[1]?.endsWith('start.ts') && existsSync(`${EMBEDDED_DATA_DIR}.password`)) {
    const running = embeddedDatabaseUrl(port, persistentPassword(EMBEDDED_DATA_DIR));
    const answered = await assertDatabaseReachable(running, 1000).then(() => true, () => false);
    if (answered) {
      process.env.DATABASE_URL = running;
      return undefined;
    }
  }
  if (mode.persistent) await carryOverLegacyData(DATA_ROOT, EMBEDDED_DATA_DIR);
  const embedded = await startEmbeddedPostgres({ dataDir: mode.persistent ? EMBEDDED_DATA_DIR : undefined, port });
  process.env.DATABASE_URL = embedded.url;
  return embedded;
}

/** Prints one line for a known failure (AppError, invalid input) or the message of an unknown one, then exits. */
export function exitWithError(error: unknown): never {
  const e = error as { userMessage?: string; issues?: { path: PropertyKey[]; message: string }[]; message?: string };
  const message = e?.userMessage
    ? e.userMessage
    : Array.isArray(e?.issues)
      ? e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
      : (e?.message ?? String(error));
  console.error(`error: ${message}`);
  process.exit(1);
}
