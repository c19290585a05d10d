import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { addUser, conditionEditor, expect, setCondition, signIn, test, uniqueSlug } from './fixtures';

const FULL = "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000";

/** Lets requests to this machine through and records (and refuses) any other. */
async function blockTheOutside(context: BrowserContext): Promise<string[]> {
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  return outside;
}

async function openNewTrigger(page: Page) {
  await signIn(page, await addUser(`${uniqueSlug('cond')}:editor`));
  await page.goto('/custom-events/triggers/new');
  return conditionEditor(page);
}

const markers = (page: Page) => page.getByTestId('condition-editor').getAttribute('data-markers');

/** Moves the mouse onto a marked word (Monaco's decoration layer takes no pointer events of its own). */
async function pointAt(page: Page, selector: string, click = false) {
  const target = page.getByTestId('condition-editor').locator(selector).first();
  // The marker is in the model before Monaco has painted its decoration.
  await expect(target).toBeVisible();
  const box = (await target.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  if (click) await page.mouse.click(x, y);
  else await page.mouse.move(x, y);
}

test('type a condition with completion; the test bench says true, then false and shows which part failed; nothing leaves localhost', async ({ page, context }) => {
  const outside = await blockTheOutside(context);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  const editor = await openNewTrigger(page);
  await editor.click();
  // Monaco keeps its suggestion list out of the accessibility tree (it announces the focused item instead).
  const suggestion = (label: string) => page.locator(`.suggest-widget .monaco-list-row[aria-label^="${label},"]`);

  await page.keyboard.type("changeType == 'UPDATE' && Invoice.Sta");
  await expect(suggestion('Status')).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.type(" == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amo");
  await expect(suggestion('Amount')).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.type(' > 1000');
  await page.keyboard.press('Escape');
  await expect(page.locator('input[name="condition"]')).toHaveValue(FULL);
  await expect(page.getByText('No problems. Ctrl+Space lists fields and functions.')).toBeVisible();
  expect(await markers(page)).toBe('');

  const bench = page.getByRole('region', { name: 'Test bench' });
  await bench.getByRole('radio', { name: 'UPDATE' }).check();
  await bench.getByLabel('Status (current)').selectOption('Posted');
  await bench.getByLabel('Status (previous)').selectOption('Draft');
  await bench.getByLabel('Amount (current)').fill('1500');
  await bench.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(bench.getByRole('status').filter({ hasText: 'Result:' })).toHaveText('Result: true — the trigger fires for this change.');

  await bench.getByLabel('Amount (current)').fill('900');
  await bench.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(bench.getByRole('status').filter({ hasText: 'Result:' })).toHaveText('Result: false — the trigger does not fire for this change.');
  const tree = bench.getByRole('list', { name: 'How the condition was evaluated' });
  const failed = tree.locator('li[data-state="false"]');
  await expect(failed).toHaveCount(2);
  await expect(failed.nth(1)).toContainText('Invoice.Amount > 1000 → false');
  await expect(failed.nth(1)).toContainText('Invoice.Amount = 900');
  await expect(tree.locator('li[data-state="true"]').filter({ hasText: "Invoice.Status_old != 'Posted' → true" })).toHaveCount(1);

  expect(outside).toEqual([]);
  // Monaco's worker is configured and served by the app: no "Failed to load worker script" or other errors,
  // and it really runs as a worker under the page's Content-Security-Policy (worker-src).
  expect(consoleErrors).toEqual([]);
  expect(workers.length).toBeGreaterThan(0);
});

test('an unknown field is marked on exactly that word with a did-you-mean; accepting the fix clears it', async ({ page }) => {
  await openNewTrigger(page);
  const source = "changeType == 'UPDATE' && Invoice.Stauts == 'Posted'";
  await setCondition(page, source);
  const start = source.indexOf('Stauts');
  await expect.poll(() => markers(page)).toBe(`UNKNOWN_FIELD@${start}-${start + 'Stauts'.length}`);
  await expect(page.getByText('1 error. Ctrl+. on a marked word offers fixes.')).toBeVisible();

  const squiggle = page.getByTestId('condition-editor').locator('.squiggly-error');
  await expect(squiggle).toHaveCount(1);
  await pointAt(page, '.squiggly-error');
  await expect(page.getByText('Invoice has no field named “Stauts”. Did you mean “Status”?')).toBeVisible();

  await pointAt(page, '.squiggly-error', true);
  await page.keyboard.press('Control+.');
  await expect(page.getByRole('option', { name: 'Change to Status, Quick Fix' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('input[name="condition"]')).toHaveValue("changeType == 'UPDATE' && Invoice.Status == 'Posted'");
  await expect.poll(() => markers(page)).toBe('');
});

test('a condition pasted with typographic quotes gets a marker and a one-click fix', async ({ page }) => {
  await openNewTrigger(page);
  await setCondition(page, 'changeType == ‘UPDATE’ && Invoice.Status == “Posted”');
  await expect.poll(() => markers(page)).toBe('TYPOGRAPHIC_QUOTES@14-15');
  await pointAt(page, '.squiggly-error', true);
  await page.keyboard.press('Control+.');
  await expect(page.getByRole('option', { name: 'Replace typographic quotes with straight quotes, Quick Fix' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('input[name="condition"]')).toHaveValue(`changeType == 'UPDATE' && Invoice.Status == "Posted"`);
  await expect.poll(() => markers(page)).toBe('');
});

test('saving refuses a condition with errors, and a saved trigger keeps its samples', async ({ page }) => {
  await openNewTrigger(page);
  await page.getByLabel('Event type', { exact: true }).fill('InvoicePostedBig');
  await setCondition(page, "Invoice.Amount > 1000 && Invoice.Stauts == 'Posted'");
  await page.getByRole('button', { name: 'Create trigger' }).click();
  await expect(page.locator('#condition-error')).toContainText('Character 34-39: Invoice has no field named “Stauts”.');
  // The editor's own input is marked invalid, described by the error, and focused.
  const editorInput = page.getByTestId('condition-editor').locator('textarea.inputarea, .native-edit-context');
  await expect(editorInput).toHaveAttribute('aria-invalid', 'true');
  await expect(editorInput).toHaveAttribute('aria-describedby', 'condition-problems condition-error');
  await expect(editorInput).toBeFocused();

  await setCondition(page, "changed('Status') && Invoice.Status == 'Posted' && Invoice.Amount > 1000");
  const bench = page.getByRole('region', { name: 'Test bench' });
  await bench.getByLabel('Status (current)').selectOption('Posted');
  await bench.getByLabel('Status (previous)').selectOption('Draft');
  await bench.getByLabel('Amount (current)').fill('2000');
  // Enter in a bench box runs the bench; it never submits the trigger's form.
  await bench.getByLabel('Amount (current)').press('Enter');
  await expect(bench.getByText('Result: true')).toBeVisible();
  await bench.getByLabel('Sample name').fill('posted big');
  await bench.getByLabel('Sample name').press('Enter');
  await expect(bench.getByText('posted big')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'New trigger' })).toBeVisible();
  await bench.getByLabel('Sample name').fill('posted big');
  await expect(bench.getByRole('button', { name: 'Replace sample' })).toBeVisible();
  await bench.getByLabel('Sample name').fill('');
  await page.getByRole('button', { name: 'Create trigger' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Custom Events' })).toBeVisible();
  await page.getByRole('link', { name: 'InvoicePostedBig' }).click();
  const saved = page.getByRole('region', { name: 'Test bench' });
  await expect(saved.getByText('posted big')).toBeVisible();
  await saved.getByRole('button', { name: 'Run all samples' }).click();
  await expect(saved.getByText('passes', { exact: true })).toBeVisible();
  await expect(saved.getByRole('status').filter({ hasText: '1 of 1 samples pass.' })).toBeVisible();
});

test('seven casing hints are counted on the status line and fixed all at once, by quick fix or button, in one undo step', async ({ page }) => {
  await openNewTrigger(page);
  const source = "INVOICE.STATUS == 'Posted' && invoice.amount > 1 && Account.NAME != 'x' && account.currency == 'EUR'";
  const fixed = "Invoice.Status == 'Posted' && Invoice.Amount > 1 && Account.Name != 'x' && Account.Currency == 'EUR'";
  await setCondition(page, source);
  // Hints are underlined, so the status line counts them instead of saying "No problems".
  await expect(page.getByText('7 hints. Ctrl+. on a marked word offers fixes.')).toBeVisible();
  await expect(page.getByTestId('condition-editor').locator('.squiggly-info')).not.toHaveCount(0);

  await pointAt(page, '.squiggly-info', true);
  await page.keyboard.press('Control+.');
  await page.getByRole('option', { name: 'Fix all 7 casing hints, Quick Fix' }).click();
  const condition = page.locator('input[name="condition"]');
  await expect(condition).toHaveValue(fixed);
  await expect(page.getByText('No problems. Ctrl+Space lists fields and functions.')).toBeVisible();

  // One undo step brings every hint back.
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(condition).toHaveValue(source);
  await expect(page.getByText('7 hints.', { exact: false })).toBeVisible();

  await page.getByRole('button', { name: 'Fix all 7 casing hints' }).click();
  await expect(condition).toHaveValue(fixed);
  await expect.poll(() => markers(page)).toBe('');
  await expect(page.getByRole('button', { name: /^Fix all/ })).toHaveCount(0);
  await expect(page.getByTestId('condition-editor').locator('textarea.inputarea, .native-edit-context')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(condition).toHaveValue(source);
});

test("a pasted look-alike quote shows our message and fix only, not Monaco's Unicode warning", async ({ page }) => {
  await openNewTrigger(page);
  await setCondition(page, "Invoice.Status == ‘Posted’ && Account.Name == 'Dunkin’ Donuts'");
  await expect.poll(() => markers(page)).toBe('TYPOGRAPHIC_QUOTES@18-19');
  await pointAt(page, '.squiggly-error');
  await expect(page.getByText('Typographic quotes (‘ ’ “ ” and look-alikes such as `), usually pasted from a document', { exact: false })).toBeVisible();
  await expect(page.getByText(/could be confused with/)).toHaveCount(0);
  await expect(page.getByTestId('condition-editor').locator('.unicode-highlight')).toHaveCount(0);
});

test('a text that differs from a picklist value only in case is a warning with a fix to the exact value', async ({ page }) => {
  await openNewTrigger(page);
  const source = "changeType == 'UPDATE' && Invoice.Status == 'POSTED'";
  await setCondition(page, source);
  const start = source.indexOf("'POSTED'");
  await expect.poll(() => markers(page)).toBe(`PICKLIST_CASE@${start}-${start + 8}`);
  await expect(page.getByText('1 warning. Ctrl+. on a marked word offers fixes.')).toBeVisible();
  await pointAt(page, '.squiggly-warning');
  await expect(page.getByText('Invoice.Status is “Posted”, not “POSTED”: text is compared exactly, so a different case never matches.')).toBeVisible();
  await pointAt(page, '.squiggly-warning', true);
  await page.keyboard.press('Control+.');
  await page.getByRole('option', { name: "Change to 'Posted', Quick Fix" }).click();
  await expect(page.locator('input[name="condition"]')).toHaveValue("changeType == 'UPDATE' && Invoice.Status == 'Posted'");
  await expect.poll(() => markers(page)).toBe('');
});

test('the trigger editor page passes an axe check with hints and a Fix all button on screen', async ({ page }) => {
  await openNewTrigger(page);
  await setCondition(page, 'INVOICE.STATUS == \'Posted\' && invoice.amount > 1');
  await expect(page.getByRole('button', { name: 'Fix all 4 casing hints' })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
