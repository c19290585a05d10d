import type { Page } from '@playwright/test';
import { addUser, expect, setCondition, signIn, test, uniqueSlug } from './fixtures';

// Each test has a workspace of its own, so no test depends on another's triggers.

const POSTED = "changed('Status') && Invoice.Status == 'Posted'";

/** A unique event type name: a capital letter, then letters, digits or _. */
const uniqueEventType = () => `InvoicePosted_${uniqueSlug('e2e').slice(4)}`;

/** Opens the new-trigger form from the list; the enabled submit button shows the form is hydrated. */
async function openNewTrigger(page: Page) {
  await page.goto('/custom-events');
  await page.getByRole('link', { name: 'New trigger' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'New trigger' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create trigger' })).toBeEnabled();
}

/** The condition as the form will submit it (the editor keeps a form field named "condition"). */
const submittedCondition = (page: Page) => page.locator('[name="condition"]');

test('an editor creates a trigger on Invoice, sees it listed with its condition highlighted, edits and deletes it', async ({ page }) => {
  const workspace = uniqueSlug('e2e-triggers');
  await signIn(page, await addUser(`${workspace}:editor`));
  const eventType = uniqueEventType();

  await page.goto('/custom-events');
  await expect(page.getByRole('heading', { level: 1, name: 'Custom Events' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No triggers yet' })).toBeVisible();

  await openNewTrigger(page);
  await page.getByLabel('Base object').selectOption('Invoice');
  await page.getByLabel('Event type', { exact: true }).fill(eventType);
  await page.getByLabel('Description (optional)', { exact: true }).fill('An invoice was posted.');
  await expect(page.getByLabel('Active', { exact: true })).toBeChecked();
  await setCondition(page, POSTED);
  await expect(submittedCondition(page)).toHaveValue(POSTED);
  await page.getByRole('button', { name: 'Create trigger' }).click();

  await expect(page).toHaveURL(/\/custom-events$/);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${eventType}`) }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(0)).toHaveText('Invoice');
  const condition = row.locator('code.expression');
  await expect(condition).toHaveText(POSTED);
  await expect(condition.locator('.tok-string')).toHaveText(["'Status'", "'Posted'"]);
  await expect(condition.locator('.tok-operator')).toHaveText(['&&', '==']);
  await expect(row.getByRole('cell').nth(2)).toHaveText('yes');
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
  await expect(row.getByText('An invoice was posted.')).toBeVisible();

  await row.getByRole('link', { name: eventType }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${eventType}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeEnabled();
  await expect(page.getByLabel('Base object')).toHaveValue('Invoice');
  await expect(submittedCondition(page)).toHaveValue(POSTED);
  await page.getByLabel('Description (optional)', { exact: true }).fill('Posted invoices, for the ERP.');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page).toHaveURL(/\/custom-events$/);
  await expect(row.getByText('Posted invoices, for the ERP.')).toBeVisible();
  await expect(row.getByRole('cell').nth(3)).toHaveText('2');

  await row.getByRole('link', { name: eventType }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${eventType}` })).toBeVisible();
  // Focus follows the two steps: to the confirm button (described by the question), back on Escape.
  await page.getByRole('button', { name: 'Delete trigger' }).click();
  const confirmDelete = page.getByRole('button', { name: `Confirm deleting ${eventType}` });
  await expect(confirmDelete).toBeFocused();
  await expect(confirmDelete).toHaveAccessibleDescription(/.+/);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Delete trigger' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirmDelete).toBeFocused();
  await confirmDelete.click();

  await expect(page).toHaveURL(/\/custom-events$/);
  await expect(page.getByRole('heading', { name: 'No triggers yet' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: new RegExp(`^${eventType}`) })).toHaveCount(0);
});

test('a condition with an unknown field is refused, and the form names the characters', async ({ page }) => {
  await signIn(page, await addUser(`${uniqueSlug('e2e-triggers')}:editor`));
  const eventType = uniqueEventType();
  await openNewTrigger(page);
  await page.getByLabel('Event type', { exact: true }).fill(eventType);
  await setCondition(page, "changed('Status') && Invoice.Stauts == 'Posted'");
  await page.getByRole('button', { name: 'Create trigger' }).click();

  await expect(page.getByRole('main').getByRole('alert')).toHaveText('The condition has an error; fix it before saving.');
  await expect(page.getByText('Character 30-35: Invoice has no field named “Stauts”. Did you mean “Status”?')).toBeVisible();
  await expect(page).toHaveURL(/\/custom-events\/triggers\/new$/);
  // What was typed is still there to fix.
  await expect(page.getByLabel('Event type', { exact: true })).toHaveValue(eventType);
  await expect(submittedCondition(page)).toHaveValue("changed('Status') && Invoice.Stauts == 'Posted'");

  await page.goto('/custom-events');
  await expect(page.getByRole('heading', { name: 'No triggers yet' })).toBeVisible();
});

test('a viewer sees the triggers but no New trigger button, and is told why', async ({ page }) => {
  const workspace = uniqueSlug('e2e-triggers');
  await signIn(page, await addUser(`${workspace}:viewer`));
  const refusal = `You are a viewer in ${workspace}: only owners and editors can create or change triggers.`;

  await page.goto('/custom-events');
  await expect(page.getByRole('heading', { level: 1, name: 'Custom Events' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No triggers yet' })).toBeVisible();
  await expect(page.getByRole('note')).toHaveText(refusal);
  await expect(page.getByRole('link', { name: 'New trigger' })).toHaveCount(0);

  await page.goto('/custom-events/triggers/new');
  await expect(page.getByRole('note')).toHaveText(refusal);
  await expect(page.getByRole('button', { name: 'Create trigger' })).toHaveCount(0);
});
