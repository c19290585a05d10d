import { randomBytes } from 'node:crypto';
import { isAppError } from '@/lib/errors';
import { openSecret, sealSecret } from '@/lib/security/secrets-at-rest';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes (the spec allows 24–64). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A signing secret as the database keeps it: encrypted under SECRETS_KEY (lib/security/secrets-at-rest.ts). */
export const sealWebhookSecret = (secret: string) => sealSecret(secret, 'notification_endpoints.secret');

/** The signing secret of a stored value (sealed, or plain from before encryption); throws naming SECRETS_KEY. */
export const openWebhookSecret = (stored: string) => openSecret(stored, 'notification_endpoints.secret');

/**
 * What the console shows of a stored secret: the prefix and its last four characters; when it cannot be
 * decrypted (SECRETS_KEY changed), a note saying so rather than a failing page.
 */
export function maskSecret(stored: string | null): string {
  if (!stored) return '—';
  try {
    return `whsec_••••••••${openWebhookSecret(stored).slice(-4)}`;
  } catch (error) {
    if (isAppError(error)) return 'whsec_•••••••• (cannot be decrypted with SECRETS_KEY)';
    throw error;
  }
}
