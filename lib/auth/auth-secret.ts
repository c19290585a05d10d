import { AppError } from '@/lib/errors';

/**
 * The key that signs session cookies. The launchers generate one on first start and keep it in
 * .data/auth-secret (embedded mode) unless BETTER_AUTH_SECRET is set.
 */
export function requireAuthSecret(): string {
  const secret = process.env.BETTER_AUTH_SECRET;
  if (!secret || secret.length < 32) {
    throw new AppError('AUTH_SECRET_MISSING', 'BETTER_AUTH_SECRET must be set to at least 32 characters.', { status: 500 });
  }
  return secret;
}
