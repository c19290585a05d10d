import { randomBytes } from 'node:crypto';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes (the spec allows 24–64). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What the console shows of a secret after its creation: the prefix and its last four characters. */
export function maskSecret(secret: string | null): string {
  if (!secret) return '—';
  return `whsec_••••••••${secret.slice(-4)}`;
}
