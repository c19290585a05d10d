import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

export interface TestUser {
  email: string;
  password: string;
}

/**
 * Adds a user through the operator command (`npm run user:add`) against the suite's database, so each
 * spec has its own accounts and never depends on another. Workspaces are "slug:role"; a missing one is created.
 */
export function addUser(...workspaces: string[]): TestUser {
  const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  execFileSync(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', 'scripts/user-add.ts', '--email', email, '--password', password, ...workspaces.flatMap((w) => ['--workspace', w])],
    { env: process.env, stdio: 'pipe' },
  );
  return { email, password };
}

export const uniqueSlug = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function signIn(page: Page, user: TestUser) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as${user.email}`)).toBeVisible();
}

/** The Monaco condition editor once loaded (it replaces a plain text area in the browser). */
export async function conditionEditor(page: Page, name = 'condition') {
  const editor = page.getByTestId(`${name}-editor`);
  await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  return editor;
}

/** Replaces the condition's text as a paste would, and closes any suggestion list. */
export async function setCondition(page: Page, text: string, name = 'condition') {
  const editor = await conditionEditor(page, name);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Escape');
  await expect(page.locator(`input[name="${name}"]`)).toHaveValue(text);
}
