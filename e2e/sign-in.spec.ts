import type { Page } from '@playwright/test';
import { ACCOUNT_FAILURE_LIMIT } from '@/lib/auth/sign-in-throttle';
import { addUser, expect, queryDatabase, test } from './fixtures';

const WRONG = 'The email or password is not right. Check both and try again.';
const LOCKED = /^Too many failed sign-in attempts from this account\. Try again after \d\d:\d\d UTC \(in 15 minutes\)\.$/;

const failedAttempts = async (email: string) =>
  Number((await queryDatabase<{ n: string }>('SELECT count(*) AS n FROM sign_in_attempts WHERE email = $1 AND NOT succeeded', [email]))[0]!.n);

async function submit(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

// A fresh account per test: the account limit never carries over from another spec. The address limit
// (20) is not reached: the global setup forgets earlier runs' attempts, and no run makes 20.
test('wrong passwords are named as such, are counted, and lock the account: then even the right one is refused', async ({ page }) => {
  const user = await addUser('demo:viewer');
  await page.goto('/sign-in');
  for (let attempt = 1; attempt <= ACCOUNT_FAILURE_LIMIT; attempt++) {
    await submit(page, user.email, `wrong-${attempt}-${user.password}`);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(WRONG);
    // Each wrong password stays recorded as a failure (not settled as "not checked" and deleted).
    await expect.poll(() => failedAttempts(user.email)).toBe(attempt);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  }

  await submit(page, user.email, user.password);
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(LOCKED);
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('Signed in as')).toHaveCount(0);
  const sessions = await queryDatabase('SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [user.email]);
  expect(sessions).toHaveLength(0);
  // A refusal does not extend the lock: the count stays at the limit.
  expect(await failedAttempts(user.email)).toBe(ACCOUNT_FAILURE_LIMIT);
});
