import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'umc_';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;

/** A new key: "umc_" and 43 URL-safe characters (256 random bits). Shown once, never stored. */
export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), secretHash: hashApiKey(key) };
}

/**
 * SHA-256 of the whole key. A fast hash is right here (unlike passwords): the key has 256 random bits,
 * so there is nothing to guess, and every API request must look it up quickly.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The key from an `Authorization: Bearer …` header, or null when the header is absent or malformed. */
export function bearerKey(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match && match[1]!.startsWith(KEY_PREFIX) ? match[1]! : null;
}
