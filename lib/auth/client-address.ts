/**
 * The caller's address for throttling: the first X-Forwarded-For hop (Next's server sets it from the
 * socket when no proxy did), else X-Real-IP. Behind a proxy, make sure it overwrites client values.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || headers.get('x-real-ip')?.trim() || 'unknown';
}
