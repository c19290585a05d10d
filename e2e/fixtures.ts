import { randomUUID } from 'node:crypto';
import { test as base, expect, type Page } from '@playwright/test';
import pg from 'pg';

/**
 * The specs' `test`: it also fails when the browser reports a Content-Security-Policy violation, in a page
 * or in a worker, or Monaco could not start its worker; so every spec checks that what it uses works under
 * the policy the production server sends.
 */
export const test = base.extend<{ allowedPolicyViolations: RegExp | null; securityPolicyGuard: void }>({
  /** Violations a spec provokes on purpose (`test.use({ allowedPolicyViolations: /frame-ancestors/ })`). */
  allowedPolicyViolations: [null, { option: true }],
  securityPolicyGuard: [
    async ({ context, allowedPolicyViolations }, use) => {
      const violations: string[] = [];
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`),
        );
      });
      context.on('console', (message) => {
        const text = message.text();
        if (allowedPolicyViolations?.test(text)) return;
        if (/Content Security Policy|CSP violation|Could not create web worker/i.test(text)) violations.push(`${message.page()?.url() ?? 'worker'}: ${text}`);
      });
      await use();
      expect(violations, 'Content-Security-Policy violations reported by the browser').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Runs one query against the suite's database (DATABASE_URL) and returns its rows. */
export async function queryDatabase<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface TestUser {
  email: string;
  password: string;
}

/**
 * A new account with the given memberships ("slug:role"; a missing workspace is created), so each spec has
 * its own accounts and never depends on another. Made by the app's own `addUser` in the suite's account
 * maker (e2e/user-server.ts, started by global-setup).
 */
export async function addUser(...workspaces: string[]): Promise<TestUser> {
  const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const server = process.env.E2E_USER_SERVER;
  if (!server) throw new Error('E2E_USER_SERVER is not set: run the specs through `npm test` or `npm run test:e2e` (global-setup starts the account maker).');
  const response = await fetch(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, workspaces }) });
  if (!response.ok) throw new Error(`Could not add the user ${email}: ${await response.text()}`);
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

/** The sidebar's workspace menu button; its text is the current workspace's full name. */
export const workspaceButton = (page: Page) => page.getByRole('button', { name: /^Workspace / });

/** Switches workspace the way a user does: open the menu, choose the workspace (one action). */
export async function switchWorkspace(page: Page, name: string) {
  await workspaceButton(page).click();
  await page.getByRole('menuitem', { name, exact: true }).click();
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

/** No serious or critical axe-core violations on the page as it is now. */
export async function expectAccessible(page: Page) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(serious, `axe violations on ${page.url()}`).toEqual([]);
}
