/**
 * The caller's address for throttling. In production the server (scripts/serve.mjs) puts exactly one
 * trusted address in X-Forwarded-For: the socket's peer, or the client behind TRUSTED_PROXY_HOPS
 * proxies. Under `next dev` it is whatever Next or the client put first (development only).
 */
export function clientAddress(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim().slice(0, 64) || 'unknown';
}
