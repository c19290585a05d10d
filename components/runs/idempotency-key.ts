/**
 * A fresh idempotency key. `crypto.randomUUID` exists only in secure contexts (https, localhost); a console
 * reached over plain http on a LAN address falls back to 128 random bits from `getRandomValues`, which every
 * context has.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
