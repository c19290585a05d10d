import path from 'node:path';
import { assertDatabaseReachable } from '@/lib/db/connection';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded-postgres';

export const EMBEDDED_DATA_DIR = path.join(process.cwd(), '.data', 'pglite');

/**
 * Uses DATABASE_URL when set; otherwise starts the embedded PostgreSQL (persistent under .data/, or in
 * memory for tests) and points DATABASE_URL at it for this process and its children. When a running
 * console already serves the persistent one (npm start), scripts such as seed and user:add use that.
 */
export async function resolveDatabase(mode: { persistent: boolean }): Promise<EmbeddedPostgres | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const port = mode.persistent ? Number(process.env.EMBEDDED_DB_PORT ?? 54329) : 0;
  process.env.DATABASE_EMBEDDED = '1';
  // Connections to PGlite share one session; small pools keep its queue short.
  process.env.DATABASE_POOL_MAX ??= '4';
  if (mode.persistent && !process.argv[1]?.endsWith('start.ts')) {
    const running = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
    const answered = await assertDatabaseReachable(running, 1000).then(() => true, () => false);
    if (answered) {
      process.env.DATABASE_URL = running;
      return undefined;
    }
  }
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
