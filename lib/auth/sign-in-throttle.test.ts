import { afterAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_FAILURE_LIMIT,
  ADDRESS_FAILURE_LIMIT,
  assertSignInAllowed,
  beginSignInAttempt,
  THROTTLE_WINDOW_MINUTES,
} from '@/lib/auth/sign-in-throttle';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { unique } from '@/lib/testing/factories';

const prisma = () => getPrisma();
/** A settled attempt, as sign-in leaves it. */
const recordSignInAttempt = (db: ReturnType<typeof getPrisma>, email: string, address: string, succeeded: boolean) =>
  db.signInAttempt.create({ data: { email, address, succeeded } });
const fail = (email: string, address: string, times: number) =>
  Promise.all(Array.from({ length: times }, () => recordSignInAttempt(prisma(), email, address, false)));

describe('sign-in throttling', () => {
  afterAll(() => disconnectPrisma());

  it(`locks an account after ${ACCOUNT_FAILURE_LIMIT} failures and says when to retry`, async () => {
    const email = `${unique('t')}@example.com`;
    await fail(email, unique('ip'), ACCOUNT_FAILURE_LIMIT - 1);
    await expect(assertSignInAllowed(prisma(), email, unique('ip'))).resolves.toBeUndefined();
    await fail(email, unique('ip'), 1);
    const error = await assertSignInAllowed(prisma(), email, unique('ip')).catch((e) => e);
    expect(error.code).toBe('SIGN_IN_LOCKED');
    expect(error.status).toBe(429);
    expect(error.userMessage).toMatch(/^Too many failed sign-in attempts from this account\. Try again after \d\d:\d\d UTC \(in (15|14) minutes\)\.$/);
    expect(new Date(error.details.retryAt).getTime()).toBeGreaterThan(Date.now() + 13 * 60_000);
  });

  it('lifts the lock once the window has passed', async () => {
    const email = `${unique('t')}@example.com`;
    await fail(email, unique('ip'), ACCOUNT_FAILURE_LIMIT);
    const later = new Date(Date.now() + (THROTTLE_WINDOW_MINUTES + 1) * 60_000);
    await expect(assertSignInAllowed(prisma(), email, unique('ip'), later)).resolves.toBeUndefined();
  });

  it('a successful sign-in resets the account counter', async () => {
    const email = `${unique('t')}@example.com`;
    await fail(email, unique('ip'), ACCOUNT_FAILURE_LIMIT - 1);
    await new Promise((r) => setTimeout(r, 5));
    await recordSignInAttempt(prisma(), email, unique('ip'), true);
    await new Promise((r) => setTimeout(r, 5));
    await fail(email, unique('ip'), ACCOUNT_FAILURE_LIMIT - 1);
    await expect(assertSignInAllowed(prisma(), email, unique('ip'))).resolves.toBeUndefined();
  });

  it('parallel attempts cannot slip past the limit together: at most the limit reach the password check', async () => {
    const email = `${unique('burst')}@example.com`;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => beginSignInAttempt(prisma(), email, unique('ip'))));
    const admitted = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(admitted).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason.code).toBe('SIGN_IN_LOCKED');
    // The admitted ones stay recorded as failures until settled; refused ones took their rows back.
    expect(await prisma().signInAttempt.count({ where: { email } })).toBe(admitted);
    // One at a time from here: exactly the limit in all.
    let more = 0;
    while (await beginSignInAttempt(prisma(), email, unique('ip')).then(() => true, () => false)) more += 1;
    expect(admitted + more).toBe(ACCOUNT_FAILURE_LIMIT);
  });

  it(`locks an address after ${ADDRESS_FAILURE_LIMIT} failures across accounts`, async () => {
    const address = unique('ip');
    await Promise.all(Array.from({ length: ADDRESS_FAILURE_LIMIT }, () => recordSignInAttempt(prisma(), `${unique('x')}@example.com`, address, false)));
    const error = await assertSignInAllowed(prisma(), `${unique('fresh')}@example.com`, address).catch((e) => e);
    expect(error.userMessage).toMatch(/from your network address/);
  });
});
