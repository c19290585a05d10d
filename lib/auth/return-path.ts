/**
 * Where to go after signing in: the page that was asked for, but only ever a path on this site. Anything that
 * a browser could read as another origin (`//evil.com`, `/\evil.com`, `https://…`, `javascript:`, the same
 * with percent-encoding or control characters smuggled in) is refused, so the sign-in page cannot be used as
 * an open redirect.
 */

/** Set by proxy.ts on every page request: its path and query, so a page can send the user back to it after signing in. */
export const RETURN_PATH_HEADER = 'x-return-path';

const BASE = 'http://return-path.invalid';
const MAX_LENGTH = 2048;

/** The same-origin path (with query and hash) `raw` names, or null when it is not one. */
export function safeReturnPath(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return null;
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  // Browsers treat "\" as "/" and drop tabs and newlines from URLs; both turn "/\evil.com" into "//evil.com".
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  if (/^\/(?:%2f|%5c)/i.test(raw) || /[\\\u0000-\u001f\u007f]/.test(decodeOrEmpty(raw))) return null;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  // Back to sign-in would only loop.
  if (url.pathname === '/sign-in') return null;
  return url.pathname + url.search + url.hash;
}

/** The sign-in page, carrying `path` as the page to return to (none for Home, which is the default). */
export function signInPathFor(path: string | null | undefined): string {
  const next = safeReturnPath(path);
  return next && next !== '/' ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

function decodeOrEmpty(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}
