/**
 * PostgreSQL's "canceling statement due to statement timeout" (SQLSTATE 57014), as `pg` raises it or as
 * Prisma wraps it (PrismaClientKnownRequestError P2010 → `meta.driverAdapterError` → `cause.code`). Web
 * requests' pools set a 30 s statement timeout (lib/db/pool.ts); hitting it is the server being busy
 * or the query too broad, not a bug, so callers answer 503 with advice rather than a generic 500.
 */
export const QUERY_CANCELED = '57014';

export function isStatementTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, originalCode, cause, meta } = current as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (code === QUERY_CANCELED || originalCode === QUERY_CANCELED) return true;
    current = cause ?? meta?.driverAdapterError;
  }
  return false;
}

export const STATEMENT_TIMEOUT_MESSAGE =
  'The database took longer than 30 seconds, so the request was stopped and its unfinished change rolled back. Narrow the request (a shorter time range, a filter) or try again in a minute.';
