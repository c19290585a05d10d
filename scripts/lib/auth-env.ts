import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SECRET_FILE = path.join(process.cwd(), '.data', 'auth-secret');

/**
 * Sets BETTER_AUTH_SECRET (signs session cookies) and BETTER_AUTH_URL when the user did not. The console
 * keeps its generated secret in .data/auth-secret so sessions survive restarts; tests use a fresh one.
 */
export function ensureAuthEnv(options: { persistent: boolean; url: string }): void {
  process.env.BETTER_AUTH_URL ??= options.url;
  if (process.env.BETTER_AUTH_SECRET) return;
  if (!options.persistent) {
    process.env.BETTER_AUTH_SECRET = randomBytes(32).toString('base64url');
    return;
  }
  if (!existsSync(SECRET_FILE)) {
    mkdirSync(path.dirname(SECRET_FILE), { recursive: true });
    writeFileSync(SECRET_FILE, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  process.env.BETTER_AUTH_SECRET = readFileSync(SECRET_FILE, 'utf8').trim();
}
