import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { nextCookies } from 'better-auth/next-js';
import { getPrisma } from '@/lib/db/prisma';
import { requireAuthSecret } from '@/lib/auth/auth-secret';

export const SESSION_DAYS = 7;

function createAuth() {
  const baseURL = process.env.BETTER_AUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return betterAuth({
    appName: 'Usage Console',
    baseURL,
    secret: requireAuthSecret(),
    database: prismaAdapter(getPrisma(), { provider: 'postgresql' }),
    // Accounts are created by owners and the first-run path (lib/auth/create-user.ts), never by sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 128 },
    session: { expiresIn: SESSION_DAYS * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    // Throttling of sign-in is ours (lib/auth/sign-in-throttle.ts): per account and per address, in the database.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: 'umc',
      useSecureCookies: baseURL.startsWith('https://'),
    },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { auth?: Auth };

/** The Better Auth instance: sessions in the database, httpOnly cookies, scrypt password hashes. */
export function getAuth(): Auth {
  globalForAuth.auth ??= createAuth();
  return globalForAuth.auth;
}
