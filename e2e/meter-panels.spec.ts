import type { Page } from '@playwright/test';
import { addUser, expect, queryDatabase, setCondition, signIn, test, uniqueSlug } from './fixtures';
import { canvas, canvasNodes, connectByMouse, createApiCallStore, createMeter, dragFromPalette, openMeter, startChainMeter } from './meter-canvas-helpers';

// The kinds' panels in the canvas's side panel, used as a person would: choices, typed text committed on
// leaving the field, the expression editor, the mapping suggested when the store is chosen.

/** The name the panel gave the expression editor of `key` on the selected node (cfg-<node id>-<key>). */
async function editorName(page: Page, key: string) {
  const testId = await page.locator(`[data-testid$="-${key}-editor"]`).first().getAttribute('data-testid');
  return testId!.replace(/-editor$/, '');
}

async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

test('configure Event Store → Filter → Map → Event Store through the panels: no problems, preview counts, saved as shown', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, await addUser('demo:editor'));
  // Dropped down a diagonal so none lands on another, connected, then laid out left to right.
  const { target, nodes: [source, filter, map, sink] } = await startChainMeter(page, 'e2e-panels');

  await source!.click();
  await choose(page, 'Event store', /^api-calls /);

  await filter!.click();
  await setCondition(page, 'units > 5', await editorName(page, 'condition'));
  await canvas(page).click({ position: { x: 20, y: 175 } }); // leaving the editor commits the condition

  await map!.click();
  await page.getByRole('checkbox', { name: 'latencyMs' }).check();
  await expect(page.getByRole('region', { name: 'Output fields' })).not.toContainText('latencyMs');

  await sink!.click();
  await choose(page, 'Event store', new RegExp(`^${target} `));
  // Chosen once, the mapping is suggested by name; latencyMs was dropped upstream, so it stays empty.
  await expect(page.getByRole('combobox', { name: 'Mapping of occurredAt' })).toHaveValue('occurredAt');
  await expect(page.getByRole('combobox', { name: 'Mapping of latencyMs' })).toHaveValue('');
  await expect(page.getByRole('region', { name: 'Problems' }).getByRole('status')).toHaveText('No problems');

  const labels = page.locator('[data-testid^="edge-label-"]');
  await expect(labels.filter({ hasText: /^1,000 → [\d,]+, dropped [\d,]+ by Filter$/ })).toHaveCount(1, { timeout: 30_000 });

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved version 1.')).toBeVisible();
  await page.reload();
  await canvasNodes(page).nth(1).click();
  await expect(page.locator(`input[name="${await editorName(page, 'condition')}"]`)).toHaveValue('units > 5');
  await canvasNodes(page).nth(2).click();
  await expect(page.getByRole('checkbox', { name: 'latencyMs' })).toBeChecked();
});

test('a mapping problem shows on its row; typing a field name there fixes it once the field is left', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  const target = uniqueSlug('e2e-panels');
  await createApiCallStore(page, target);
  await openMeter(page, await createMeter('demo'));
  await dragFromPalette(page, 'Event Store source', 110, 110);
  await dragFromPalette(page, 'Event Store target', 330, 110);
  await connectByMouse(page, canvasNodes(page).nth(0), canvasNodes(page).nth(1));
  await canvasNodes(page).nth(0).click();
  await choose(page, 'Event store', /^api-calls /);
  await canvasNodes(page).nth(1).click();
  await choose(page, 'Event store', new RegExp(`^${target} `));

  const occurredAt = page.getByRole('combobox', { name: 'Mapping of occurredAt' });
  await occurredAt.fill('');
  await occurredAt.press('Enter');
  await expect(occurredAt).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/the event time “occurredAt” of store .* is not mapped/).first()).toBeVisible();
  await occurredAt.fill('occurredAt');
  await occurredAt.press('Tab');
  await expect(occurredAt).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('region', { name: 'Problems' }).getByRole('status')).toHaveText('No problems');
});

test('a File upload source infers the schema of a CSV; a renamed field keeps reading its column', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  await openMeter(page, await createMeter('demo'));
  await dragFromPalette(page, 'File upload', 120, 150);
  await canvasNodes(page).nth(0).click();
  const csv = 'id,unit price,at,billable\na1,1.5,2026-11-01T10:00:00Z,true\na2,2,2026-11-01T11:00:00Z,\n';
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'usage.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByText('Read 2 rows of usage.csv.', { exact: false })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Field 2 name' })).toHaveValue('unit_price');
  await expect(page.getByRole('combobox', { name: 'Field 2 type' })).toHaveText(/number/);
  await expect(page.getByRole('combobox', { name: 'Field 3 type' })).toHaveText(/datetime/);
  await expect(page.getByRole('checkbox', { name: 'Field 4 required' })).not.toBeChecked();

  await page.getByRole('textbox', { name: 'Field 2 name' }).fill('price');
  await page.getByRole('textbox', { name: 'Field 2 name' }).press('Enter');
  await page.getByRole('button', { name: 'Remove field billable' }).click();
  await expect(canvasNodes(page).nth(0)).toContainText('price');
  await expect(canvasNodes(page).nth(0)).not.toContainText('billable');
});

test('create a store with a new definition from the Event Store source panel; it is chosen at once', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  await openMeter(page, await createMeter('demo'));
  await dragFromPalette(page, 'Event Store source', 120, 150);
  await canvasNodes(page).nth(0).click();
  await page.getByRole('button', { name: 'Create a store…' }).click();
  const form = page.getByRole('region', { name: 'New event store' });
  const name = uniqueSlug('inline');
  await form.getByLabel('Store name').fill(name);
  await form.getByRole('radio', { name: 'A new definition' }).check();
  await form.getByLabel('Definition name').fill(`Inline ${name}`);
  await form.getByRole('button', { name: 'Create store' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Event store', exact: true })).toHaveText(new RegExp(`^${name} \\(Inline ${name}\\)`), { timeout: 15_000 });
  await expect(page.getByRole('region', { name: `Fields of Inline ${name}` })).toContainText('timestamp');
});

test('the inline new-store form offers every definition of the workspace, one no store uses included, and the Event Store target has it too', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  // A definition no store uses yet (before, the form offered only definitions some store already used).
  const definition = `Unused ${uniqueSlug('def')}`;
  await queryDatabase(
    `INSERT INTO event_definitions (id, workspace_id, name, fields, event_id_field, event_time_field, updated_at)
     SELECT gen_random_uuid(), id, $2, $3, 'id', 'at', now() FROM workspaces WHERE slug = $1`,
    ['demo', definition, JSON.stringify([{ name: 'id', type: 'string', required: true }, { name: 'at', type: 'datetime', required: true }, { name: 'qty', type: 'integer', required: false }])],
  );
  await openMeter(page, await createMeter('demo'));
  await dragFromPalette(page, 'Event Store source', 120, 150);
  await canvasNodes(page).nth(0).click();
  await page.getByRole('button', { name: 'Create a store…' }).click();
  const form = page.getByRole('region', { name: 'New event store' });
  await expect(form.getByRole('radio', { name: 'An existing definition' })).toBeChecked();
  const name = uniqueSlug('unused');
  await form.getByLabel('Store name').fill(name);
  await choose(page, 'Definition', definition);
  await form.getByRole('button', { name: 'Create store' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Event store', exact: true })).toHaveText(new RegExp(`^${name} \\(${definition}\\)`), { timeout: 15_000 });
  await expect(page.getByRole('region', { name: `Fields of ${definition}` })).toContainText('qty');
  const [store] = await queryDatabase<{ definition: string }>(
    'SELECT d.name AS definition FROM event_stores s JOIN event_definitions d ON d.id = s.definition_id WHERE s.name = $1',
    [name],
  );
  expect(store?.definition).toBe(definition);

  // The target's panel creates a store the same way, here with a new definition made inline.
  // Click-to-add: the target comes selected, connected after the source.
  await page.getByRole('button', { name: 'Add Event Store target', exact: true }).click();
  await expect(canvasNodes(page)).toHaveCount(2);
  await page.getByRole('complementary', { name: 'Event Store target settings' }).getByRole('button', { name: 'Create a store…' }).click();
  const targetName = uniqueSlug('inline-target');
  await form.getByLabel('Store name').fill(targetName);
  await form.getByRole('radio', { name: 'A new definition' }).check();
  await form.getByLabel('Definition name').fill(`Inline ${targetName}`);
  await form.getByRole('button', { name: 'Create store' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Event store', exact: true })).toHaveText(new RegExp(`^${targetName} \\(Inline ${targetName}\\)`), { timeout: 15_000 });
});
