import type { Page } from '@playwright/test';
import { addUser, expect, signIn, test, type TestUser, uniqueSlug } from './fixtures';

let editor: TestUser;
test.beforeAll(async () => {
  editor = await addUser('demo:editor');
});
test.beforeEach(async ({ page }) => {
  await signIn(page, editor);
});

/** Opens the editor from the list; the enabled submit button shows the form is hydrated and ready. */
async function openNewDefinition(page: Page) {
  await page.goto('/event-definitions');
  await page.getByRole('link', { name: 'New definition' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New event definition' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create definition' })).toBeEnabled();
}

test('an editor creates a definition, sees it listed, and edits it compatibly', async ({ page }) => {
  const name = uniqueSlug('e2e-calls');
  await openNewDefinition(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description (optional)', { exact: true }).fill('Calls made in the end-to-end test.');
  // A new definition starts with a required string row and a required datetime row, chosen as id and time.
  await page.getByLabel('Field 1 name').fill('callId');
  await page.getByLabel('Field 2 name').fill('occurredAt');
  await expect(page.getByLabel('Field 2 type')).toHaveValue('datetime');
  await page.getByRole('button', { name: 'Add field' }).click();
  await expect(page.getByLabel('Field 3 name')).toBeFocused();
  await page.getByLabel('Field 3 name').fill('latencyMs');
  await page.getByLabel('Field 3 type').selectOption('number');
  await expect(page.getByLabel('Field 3 required')).not.toBeChecked();
  await expect(page.getByLabel('Event-id field').locator('option:checked')).toHaveText('callId');
  await expect(page.getByLabel('Event-time field').locator('option:checked')).toHaveText('occurredAt');
  await page.getByRole('button', { name: 'Create definition' }).click();

  await expect(page).toHaveURL(/\/event-definitions\?(created|saved)=/);
  const listed = page.getByRole('region', { name });
  await expect(listed.getByText('Version 1')).toBeVisible();
  await expect(listed.getByText('Event id: callId')).toBeVisible();
  const fields = listed.getByRole('table', { name: `Fields of ${name}` });
  await expect(fields.getByRole('row', { name: /occurredAt datetime yes/ })).toBeVisible();
  await expect(fields.getByRole('row', { name: /latencyMs number no/ })).toBeVisible();

  await listed.getByRole('link', { name: `Edit ${name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${name}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeEnabled();
  await expect(page.getByLabel('Field 3 name')).toHaveValue('latencyMs');
  // Keyboard only: the new row's name takes the focus.
  await page.getByRole('button', { name: 'Add field' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Field 4 name')).toBeFocused();
  await page.keyboard.type('region');
  await page.getByLabel('Field 3 description').fill('Response time in milliseconds.');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page).toHaveURL(/\/event-definitions\?(created|saved)=/);
  await expect(listed.getByText('Version 2')).toBeVisible();
  await expect(fields.getByRole('row', { name: /region string no/ })).toBeVisible();
  await expect(fields.getByRole('row', { name: /latencyMs number no no Response time in milliseconds\./ })).toBeVisible();
});

test('a definition without an event-time field is refused, and the form says why', async ({ page }) => {
  const name = uniqueSlug('e2e-no-time');
  await openNewDefinition(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Field 1 name').fill('callId');
  await page.getByRole('button', { name: 'Remove field 2' }).click();
  await expect(page.getByLabel('Field 2 name')).toHaveCount(0);
  await expect(page.getByLabel('Event-time field').locator('option:checked')).toHaveText('No datetime field yet');
  await page.getByRole('button', { name: 'Create definition' }).click();

  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Some fields need attention.');
  const timeField = page.getByLabel('Event-time field');
  await expect(timeField).toHaveAttribute('aria-invalid', 'true');
  await expect(timeField).toBeFocused();
  await expect(page.getByText('Add a required datetime field for the event time: a store cannot be created from a definition without one.')).toBeVisible();
  await expect(page).toHaveURL(/\/event-definitions\/new$/);

  await page.goto('/event-definitions');
  await expect(page.getByRole('region', { name })).toHaveCount(0);
});
