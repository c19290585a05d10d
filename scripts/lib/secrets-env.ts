import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_SECRETS_KEY } from '@/lib/testing/secrets-key';
import { DATA_ROOT } from './database';

/** Where `npm start` keeps the SECRETS_KEY it generated, beside the embedded database's data. */
export const SECRETS_KEY_FILE = path.join(DATA_ROOT, 'secrets-key');

/**
 * Sets SECRETS_KEY (encrypts webhook secrets and connector passwords at rest) when the user did not:
 * - `generate` (npm start, npm run seed): from .data/secrets-key, made once (32 random bytes, mode 0600);
 * - `read` (npm run worker): from .data/secrets-key when it exists, never a new one (a worker with a key of its
 *   own could not read what the console stored; on another machine, set SECRETS_KEY to the console's);
 * - `test` (npm test, the bench): the tests' fixed key.
 */
export function ensureSecretsKey(mode: 'generate' | 'read' | 'test', file = SECRETS_KEY_FILE): void {
  if (process.env.SECRETS_KEY?.trim()) return;
  if (mode === 'test') {
    process.env.SECRETS_KEY = TEST_SECRETS_KEY;
    return;
  }
  if (!existsSync(file)) {
    if (mode === 'read') return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  process.env.SECRETS_KEY = readFileSync(file, 'utf8').trim();
}
