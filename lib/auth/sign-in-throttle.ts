import type { PrismaClient } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';

export const THROTTLE_WINDOW_MINUTES = 15;
/** Failed attempts on one account, since its last success, within the window. */
export const ACCOUNT_FAILURE_LIMIT = 5;
/** Failed attempts from one address within the window, whatever the account. */
export const ADDRESS_FAILURE_LIMIT = 20;

/**
 * Refuses a sign-in before the password is even checked when the account or the address has failed too
 * often lately. The message says when to try again. Lockout lasts THROTTLE_WINDOW_MINUTES after the
 * last failure.
 */
export async function assertSignInAllowed(prisma: PrismaClient, email: string, address: string, now = new Date(), excludeId?: bigint) {
  const others = excludeId === undefined ? {} : { id: { not: excludeId } };
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MINUTES * 60_000);
  const lastSuccess = await prisma.signInAttempt.findFirst({
    where: { email, succeeded: true, createdAt: { gt: windowStart } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const accountSince = lastSuccess && lastSuccess.createdAt > windowStart ? lastSuccess.createdAt : windowStart;
  const [account, addressFailures] = await Promise.all([
    prisma.signInAttempt.aggregate({
      where: { email, succeeded: false, createdAt: { gt: accountSince }, ...others },
      _count: true,
      _max: { createdAt: true },
    }),
    prisma.signInAttempt.aggregate({
      where: { address, succeeded: false, createdAt: { gt: windowStart }, ...others },
      _count: true,
      _max: { createdAt: true },
    }),
  ]);
  if (account._count >= ACCOUNT_FAILURE_LIMIT) {
    throw lockedOut('this account', account._max.createdAt!, now);
  }
  if (addressFailures._count >= ADDRESS_FAILURE_LIMIT) {
    throw lockedOut('your network address', addressFailures._max.createdAt!, now);
  }
}

/**
 * Records the attempt as a failure *before* the password is checked, then applies the limits counting
 * every other attempt already recorded, including ones still in flight. Checking first and recording
 * after would let N parallel requests all pass the check while the first password hash is computed;
 * this way the k-th attempt to be recorded sees at least k-1 others, so no more than the limit ever
 * reach the password check. A refused attempt takes its row back (refusals do not extend the lock).
 * Returns the attempt for `settleSignInAttempt`.
 */
export async function beginSignInAttempt(prisma: PrismaClient, email: string, address: string): Promise<{ id: bigint }> {
  const attempt = await prisma.signInAttempt.create({ data: { email, address, succeeded: false }, select: { id: true } });
  try {
    await assertSignInAllowed(prisma, email, address, new Date(), attempt.id);
  } catch (error) {
    await prisma.signInAttempt.delete({ where: { id: attempt.id } });
    throw error;
  }
  return attempt;
}

/** The password was right (the row becomes a success), wrong (it stays a failure), or not checked at all (it goes). */
export async function settleSignInAttempt(prisma: PrismaClient, attempt: { id: bigint }, outcome: 'succeeded' | 'failed' | 'not-checked') {
  if (outcome === 'succeeded') await prisma.signInAttempt.update({ where: { id: attempt.id }, data: { succeeded: true } });
  else if (outcome === 'not-checked') await prisma.signInAttempt.deleteMany({ where: { id: attempt.id } });
}

function lockedOut(what: string, lastFailure: Date, now: Date): AppError {
  const retryAt = new Date(lastFailure.getTime() + THROTTLE_WINDOW_MINUTES * 60_000);
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  const clock = retryAt.toISOString().slice(11, 16);
  return new AppError(
    'SIGN_IN_LOCKED',
    `Too many failed sign-in attempts from ${what}. Try again after ${clock} UTC (in ${minutes} minute${minutes === 1 ? '' : 's'}).`,
    { status: 429, details: { retryAt: retryAt.toISOString() } },
  );
}
