import pg from 'pg';
import { AppError } from '@/lib/errors';

/** `host:port/database` of a connection string, never its password. */
export function describeDatabaseUrl(url: string): { host: string; port: number; database: string; label: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('DATABASE_URL_INVALID', 'DATABASE_URL is not a valid URL; expected postgresql://user@host:5432/database.');
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new AppError('DATABASE_URL_INVALID', `DATABASE_URL must start with postgresql:// (got ${parsed.protocol}//).`);
  }
  const host = parsed.hostname || 'localhost';
  const port = Number(parsed.port || 5432);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  return { host, port, database, label: `${host}:${port}/${database}` };
}

/**
 * Connects once and runs `select 1`. Throws an AppError with one line naming host and port when the
 * server cannot be reached, so the launcher can exit with a message instead of a stack dump.
 */
export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const { host, port, database } = describeDatabaseUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const reason = reasonOf(error);
    throw new AppError(
      'DATABASE_UNREACHABLE',
      `Cannot connect to PostgreSQL at ${host}:${port} (database "${database}"): ${reason}. ` +
        'Start the server or fix DATABASE_URL; unset DATABASE_URL to use the embedded database.',
      { status: 503, cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'timed out';
    case '3D000':
      return 'the database does not exist';
    case '28P01':
    case '28000':
      return 'authentication failed';
    default:
      return (e.message ?? String(error)).split('\n')[0] ?? 'unknown error';
  }
}
