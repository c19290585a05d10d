import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '@/lib/errors';

/**
 * Secrets kept in the database (webhook signing secrets, connectors' source connection strings) are
 * encrypted with AES-256-GCM under SECRETS_KEY (32 bytes, base64). A stored value reads
 * `v1:<key id>:<base64url of iv (12 bytes) | tag (16 bytes) | ciphertext>`; the key id (8 hex characters of
 * SHA-256 of the key) says which key sealed it, and the column is bound in as additional data, so a value
 * copied into another column does not open. A value without the `v1:` prefix is a row saved before
 * encryption: read as it is, and sealed by sealLegacySecrets on start. SECRETS_KEY_PREVIOUS (optional) still
 * opens values sealed with the key before a rotation; sealLegacySecrets re-seals them with SECRETS_KEY.
 */
export type SecretColumn = 'notification_endpoints.secret' | 'connectors.source_url';

const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where the keys are read from: process.env, or (tests) an object of one's own. */
export type SecretsEnv = Readonly<Record<string, string | undefined>>;

interface Key {
  id: string;
  bytes: Buffer;
}

const parsedKeys = new Map<string, Key>();

function parseKey(variable: 'SECRETS_KEY' | 'SECRETS_KEY_PREVIOUS', raw: string): Key {
  const cached = parsedKeys.get(`${variable}\u0000${raw}`);
  if (cached) return cached;
  const bytes = Buffer.from(raw, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || bytes.length !== 32) {
    throw new AppError('SECRETS_KEY_INVALID', `${variable} must be 32 random bytes in base64 (44 characters, e.g. from \`openssl rand -base64 32\`); the value set is not.`, { status: 500 });
  }
  const key = { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
  parsedKeys.set(`${variable}\u0000${raw}`, key);
  return key;
}

/** The key new values are sealed with: SECRETS_KEY (npm start makes one in .data/secrets-key when unset). */
export function currentSecretsKey(env: SecretsEnv = process.env): Key {
  const raw = env.SECRETS_KEY?.trim();
  if (!raw) {
    throw new AppError('SECRETS_KEY_MISSING', 'SECRETS_KEY is not set: it encrypts webhook secrets and connector passwords at rest. Set it to 32 random bytes in base64 (`openssl rand -base64 32`); `npm start` makes one in .data/secrets-key.', { status: 500 });
  }
  return parseKey('SECRETS_KEY', raw);
}

function keyWithId(id: string, env: SecretsEnv): Key | null {
  const current = currentSecretsKey(env);
  if (current.id === id) return current;
  const previous = env.SECRETS_KEY_PREVIOUS?.trim();
  if (previous) {
    const key = parseKey('SECRETS_KEY_PREVIOUS', previous);
    if (key.id === id) return key;
  }
  return null;
}

/** Whether a stored value is sealed (as opposed to a row saved before encryption). */
export const isSealed = (stored: string) => stored.startsWith(PREFIX);

/** Encrypts `plain` for `column`; a fresh IV each time. */
export function sealSecret(plain: string, column: SecretColumn, env: SecretsEnv = process.env): string {
  const key = currentSecretsKey(env);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(column));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${key.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/**
 * The plain value of a stored one: decrypted when sealed, as it is when saved before encryption. A value
 * sealed under another key, or altered, is refused with an error naming SECRETS_KEY (never the value).
 */
export function openSecret(stored: string, column: SecretColumn, env: SecretsEnv = process.env): string {
  if (!isSealed(stored)) return stored;
  const [keyId, payload] = stored.slice(PREFIX.length).split(':');
  const key = keyWithId(keyId ?? '', env);
  if (!key) {
    throw new AppError(
      'SECRETS_KEY_WRONG',
      `A stored secret (${column}) was encrypted with another key (id ${keyId}) than SECRETS_KEY (id ${currentSecretsKey(env).id}): set SECRETS_KEY to the key it was saved with, or during a rotation set the old one as SECRETS_KEY_PREVIOUS.`,
      { status: 500 },
    );
  }
  const bytes = Buffer.from(payload ?? '', 'base64url');
  try {
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(column));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('SECRET_UNREADABLE', `A stored secret (${column}) does not decrypt with SECRETS_KEY (id ${key.id}): the value was altered or belongs to another column. Save it again (rotate the webhook secret, or re-create the connector).`, { status: 500 });
  }
}

/** The tables and columns holding sealed secrets, for sealLegacySecrets. */
const SEALED_COLUMNS: { table: string; column: string; name: SecretColumn }[] = [
  { table: 'notification_endpoints', column: 'secret', name: 'notification_endpoints.secret' },
  { table: 'connectors', column: 'source_url', name: 'connectors.source_url' },
];

export interface SealReport {
  /** Rows sealed with SECRETS_KEY now (plain ones, and ones of SECRETS_KEY_PREVIOUS). */
  sealed: number;
  /** Rows left as they are because no key given opens them (sealed under another key, or altered). */
  unreadable: number;
  /** What the first of those said (names SECRETS_KEY, never a value). */
  firstError: string | null;
}

/**
 * Seals every stored secret that is not sealed with SECRETS_KEY: rows saved before encryption (plain) and
 * rows sealed with SECRETS_KEY_PREVIOUS (a rotation). One UPDATE per column from unnest, each row changed
 * only if it still holds the value read (a row saved meanwhile is left as it is). Idempotent; `npm start`
 * and `npm run worker` run it after the migrations (`workspaceIds`: only theirs, for tests). Rows no key
 * opens are counted and left alone (their delivery or connector fails saying why); but when there are such
 * rows and none sealed with SECRETS_KEY, the key is the wrong one altogether, and this throws the error
 * naming SECRETS_KEY, so the start stops before anything is sealed under it.
 */
export async function sealLegacySecrets(pool: pg.Pool, options: { env?: SecretsEnv; workspaceIds?: string[] } = {}): Promise<SealReport> {
  const env = options.env ?? process.env;
  const current = currentSecretsKey(env);
  const scope = options.workspaceIds ?? null;
  const pending: { table: string; column: string; rows: { id: string; value: string }[]; sealed: string[] }[] = [];
  const report: SealReport = { sealed: 0, unreadable: 0, firstError: null };
  let firstError: unknown = null;
  for (const { table, column, name } of SEALED_COLUMNS) {
    const { rows } = await pool.query<{ id: string; value: string }>(
      `SELECT id::text AS id, ${column} AS value FROM ${table}
        WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1 AND ($2::uuid[] IS NULL OR workspace_id = ANY($2::uuid[]))`,
      [`${PREFIX}${current.id}:%`, scope],
    );
    const readable: { id: string; value: string }[] = [];
    const sealed: string[] = [];
    for (const row of rows) {
      try {
        sealed.push(sealSecret(openSecret(row.value, name, env), name, env));
        readable.push(row);
      } catch (error) {
        report.unreadable += 1;
        firstError ??= error;
      }
    }
    if (readable.length > 0) pending.push({ table, column, rows: readable, sealed });
  }
  if (firstError) {
    report.firstError = (firstError as Error).message;
    const { rows } = await pool.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${SEALED_COLUMNS.map((c) => `${c.table} WHERE ${c.column} LIKE $1 AND ($2::uuid[] IS NULL OR workspace_id = ANY($2::uuid[]))`).join(' UNION ALL SELECT 1 FROM ')}) AS any`,
      [`${PREFIX}${current.id}:%`, scope],
    );
    if (!rows[0]!.any) throw firstError;
  }
  for (const { table, column, rows, sealed } of pending) {
    const result = await pool.query(
      `UPDATE ${table} t SET ${column} = u.sealed FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, old, sealed)
        WHERE t.id = u.id AND t.${column} = u.old`,
      [rows.map((r) => r.id), rows.map((r) => r.value), sealed],
    );
    report.sealed += result.rowCount ?? 0;
  }
  return report;
}
