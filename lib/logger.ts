import pino from 'pino';

/**
 * Structured JSON logs (pino). Secrets are redacted by key wherever they appear one or two levels deep,
 * so passing a request, a config object or an error never prints a password, token or connection string.
 */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'token',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
  'databaseUrl',
  'DATABASE_URL',
  'connectionString',
];

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: 'usage-console' },
  redact: {
    paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`), ...REDACTED_KEYS.map((k) => `*.*.${k}`)],
    censor: '[redacted]',
  },
});

/** Strips the password from a postgres URL for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
