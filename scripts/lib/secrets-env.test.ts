import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentSecretsKey } from '@/lib/security/secrets-at-rest';
import { TEST_SECRETS_KEY } from '@/lib/testing/secrets-key';
import { ensureSecretsKey } from './secrets-env';

const saved = process.env.SECRETS_KEY;
const dirs: string[] = [];
afterEach(() => {
  if (saved === undefined) delete process.env.SECRETS_KEY;
  else process.env.SECRETS_KEY = saved;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'secrets-key-'));
  dirs.push(dir);
  return path.join(dir, '.data', 'secrets-key');
};

describe('ensureSecretsKey (the key npm start uses with no configuration)', () => {
  it('generates a 32-byte key once into the data directory (mode 0600) and reuses it on the next start', () => {
    const file = scratch();
    delete process.env.SECRETS_KEY;
    ensureSecretsKey('generate', file);
    const first = process.env.SECRETS_KEY!;
    expect(Buffer.from(first, 'base64')).toHaveLength(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => currentSecretsKey()).not.toThrow();
    delete process.env.SECRETS_KEY;
    ensureSecretsKey('generate', file);
    expect(process.env.SECRETS_KEY).toBe(first);
  });

  it('leaves a SECRETS_KEY that is set alone; a worker reads the file but never makes one; tests use the fixed key', () => {
    const file = scratch();
    process.env.SECRETS_KEY = Buffer.alloc(32, 5).toString('base64');
    ensureSecretsKey('generate', file);
    expect(process.env.SECRETS_KEY).toBe(Buffer.alloc(32, 5).toString('base64'));
    delete process.env.SECRETS_KEY;
    ensureSecretsKey('read', file);
    expect(process.env.SECRETS_KEY).toBeUndefined();
    expect(() => currentSecretsKey()).toThrow(/^SECRETS_KEY is not set/);
    ensureSecretsKey('test', file);
    expect(process.env.SECRETS_KEY).toBe(TEST_SECRETS_KEY);
  });
});
