import { isAPIError } from 'better-auth/api';
import { getAuth } from '@/lib/auth/auth';
import { beginSignInAttempt, settleSignInAttempt } from '@/lib/auth/sign-in-throttle';
import { getPrisma } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';

export interface SignInInput {
  email: string;
  password: string;
  /** The caller's network address, for throttling. */
  address: string;
  /** The request's headers; Better Auth sets the session cookie through them (nextCookies plugin). */
  headers: Headers;
}

/**
 * Email and password sign-in, throttled per account and per address before the password is checked
 * (the attempt is recorded first, so parallel requests cannot slip past the limit together).
 * The same message answers an unknown email and a wrong password, so it never tells which accounts exist.
 */
export async function signIn(input: SignInInput): Promise<{ userId: string }> {
  const prisma = getPrisma();
  const email = input.email.trim().toLowerCase();
  const attempt = await beginSignInAttempt(prisma, email, input.address);
  try {
    const result = await getAuth().api.signInEmail({
      body: { email, password: input.password, rememberMe: true },
      headers: input.headers,
    });
    await settleSignInAttempt(prisma, attempt, 'succeeded');
    return { userId: result.user.id };
  } catch (error) {
    // Not `instanceof APIError`: the production build holds one copy of Better Auth per server bundle
    // (route handlers, pages and actions), and the one instance per process is made by whichever bundle
    // asks first, so its errors may be another copy's class. isAPIError also recognizes them by name.
    if (isAPIError(error) && (error.statusCode === 401 || error.statusCode === 400)) {
      await settleSignInAttempt(prisma, attempt, 'failed');
      throw new AppError('INVALID_CREDENTIALS', 'The email or password is not right. Check both and try again.', {
        status: 401,
      });
    }
    await settleSignInAttempt(prisma, attempt, 'not-checked');
    throw error;
  }
}
