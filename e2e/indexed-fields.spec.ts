import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { addUser, expect, signIn, test, uniqueSlug } from './fixtures';

/**
 * A definition (id, time, customer, plan, a json field) and a store of it, in a workspace of the test's own.
 * Filter indexes belong to a field name across every store (events_filter_<md5 of the name>), so the
 * fields have names of their own: no other test's or the demo's definition can have indexed them already.
 */
async function definitionWithStore(page: Page) {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
  const customer = `customerId_${suffix}`;
  const plan = `plan_${suffix}`;
  const definition = uniqueSlug('e2e-indexed');
  const store = uniqueSlug('e2e-indexed-store');
  const workspace = uniqueSlug('e2e-indexed');
  await signIn(page, await addUser(`${workspace}:editor`));
  await page.goto('/event-definitions/new');
  await expect(page.getByRole('button', { name: 'Create definition' })).toBeEnabled();
  await page.getByLabel('Name', { exact: true }).fill(definition);
  await page.getByLabel('Field 1 name').fill('requestId');
  await page.getByLabel('Field 2 name').fill('occurredAt');
  for (const [n, name, type] of [[3, customer, 'string'], [4, plan, 'string'], [5, 'meta', 'json']] as const) {
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel(`Field ${n} name`).fill(name);
    await page.getByLabel(`Field ${n} type`).selectOption(type);
  }
  await page.getByRole('button', { name: 'Create definition' }).click();
  await expect(page).toHaveURL(/\/event-definitions\?created=/);

  await page.goto('/event-stores');
  await page.getByLabel('Name').fill(store);
  await page.getByLabel('Event definition').selectOption({ label: definition });
  await page.getByRole('button', { name: 'Create store' }).click();
  await expect(page.getByRole('rowheader', { name: store })).toBeVisible();
  return { workspace, definition, store, customer, plan };
}

async function openEditor(page: Page, definition: string) {
  await page.goto('/event-definitions');
  await page.getByRole('region', { name: definition }).getByRole('link', { name: `Edit ${definition}` }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeEnabled();
}

async function openStore(page: Page, store: string) {
  await page.goto('/event-stores');
  await page.getByRole('link', { name: store, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: store })).toBeVisible();
}

const notIndexedHint = (page: Page, field: string) =>
  page.getByText(`${field} is not indexed: on a big store this filter reads every event. Mark it Indexed in the definition to keep it fast.`);
const buildingHint = (page: Page, field: string) => page.getByText(`The index on ${field} is being built; filters read every event until it is ready.`);

test('a field marked Indexed stays marked, json cannot be, six are refused, and the store filter says which fields are fast', async ({ page }) => {
  test.setTimeout(120_000);
  const { workspace, definition, store, customer, plan } = await definitionWithStore(page);

  // The editor: json cannot be indexed, and says why; the help line says what an index costs.
  await openEditor(page, definition);
  const meta = page.getByRole('checkbox', { name: 'Field 5 indexed' });
  await expect(meta).toBeDisabled();
  await expect(meta).toHaveAccessibleDescription(/A json field cannot be indexed: filters match text, numbers, booleans and times\./);
  await expect(page.getByText('Indexed fields keep filters fast on big stores; each costs a little on every write (at most 5).')).toBeVisible();

  // Tick a string field of a definition a store uses (a compatible change), save, reload: still ticked.
  await page.getByRole('checkbox', { name: 'Field 3 indexed' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/event-definitions\?saved=/);
  const fields = page.getByRole('region', { name: definition }).getByRole('table', { name: `Fields of ${definition}` });
  await expect(fields.getByRole('row', { name: new RegExp(`^${customer} string no yes`) })).toBeVisible();
  await expect(fields.getByRole('row', { name: new RegExp(`^${plan} string no no`) })).toBeVisible();
  await openEditor(page, definition);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeEnabled();
  await expect(page.getByRole('checkbox', { name: 'Field 3 indexed' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Field 4 indexed' })).not.toBeChecked();

  // Six indexed fields: refused before sending, the list's error shown, focus on a ticked box to untick.
  for (const [n, name, type] of [[6, 'units', 'integer'], [7, 'latencyMs', 'number']] as const) {
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel(`Field ${n} name`).fill(name);
    await page.getByLabel(`Field ${n} type`).selectOption(type);
  }
  for (const n of [1, 2, 4, 6, 7]) await page.getByRole('checkbox', { name: `Field ${n} indexed` }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Some fields need attention.');
  await expect(page.getByText(/^6 fields are indexed; at most 5 may be/)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Field 1 indexed' })).toBeFocused();
  await expect(page.getByRole('checkbox', { name: 'Field 1 indexed' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/edit$/);

  // The store: the chooser marks the indexed field; a field without an index says so and links to the editor.
  await openStore(page, store);
  const chooser = page.getByLabel('Field', { exact: true });
  await expect(chooser.getByRole('option', { name: `${customer} · indexed` })).toBeAttached();
  await expect(chooser.getByRole('option', { name: plan, exact: true })).toBeAttached();
  await expect(chooser.getByRole('option', { name: 'meta' })).toHaveCount(0);
  await chooser.selectOption(plan);
  await expect(notIndexedHint(page, plan)).toBeVisible();
  await expect(chooser).toHaveAccessibleDescription(/is not indexed/);
  await chooser.selectOption(customer);
  await expect(notIndexedHint(page, plan)).toHaveCount(0);
  await expect(page.getByText(`${customer} is not indexed`)).toHaveCount(0);
  await chooser.selectOption(plan);
  await page.getByRole('link', { name: 'Mark it Indexed in the definition' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${definition}` })).toBeVisible();

  // A viewer gets the same hint, without a link to a form they may not use.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, await addUser(`${workspace}:viewer`));
  await openStore(page, store);
  await page.getByLabel('Field', { exact: true }).selectOption(plan);
  await expect(page.getByText(`${plan} is not indexed: on a big store this filter reads every event. An owner or editor can mark it Indexed in the definition to keep it fast.`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Mark it Indexed in the definition' })).toHaveCount(0);
});

// The server builds a field's index in the background within seconds of the save (the filter-index sync of
// lib/event-store/filter-indexes.ts, every few seconds in the server's process): the hint goes once it is valid.
test('the hint that an index is being built goes away once the index is ready', async ({ page }) => {
  test.setTimeout(120_000);
  const { definition, store, customer } = await definitionWithStore(page);
  await openEditor(page, definition);
  await page.getByRole('checkbox', { name: 'Field 3 indexed' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/event-definitions\?saved=/);

  await openStore(page, store);
  await expect(async () => {
    await page.reload();
    const chooser = page.getByLabel('Field', { exact: true });
    await chooser.selectOption(customer);
    await expect(chooser.locator('option:checked')).toHaveText(`${customer} · indexed`);
    await expect(buildingHint(page, customer)).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText(`${customer} is not indexed`)).toHaveCount(0);
});
