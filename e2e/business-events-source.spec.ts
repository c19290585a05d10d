import type { Page } from '@playwright/test';
import { addUser, expect, expectAccessible, queryDatabase, signIn, test, uniqueSlug } from './fixtures';
import { buildChainByDragAndDrop, canvasNodes, createMeter, dragFromPalette, openMeter } from './meter-canvas-helpers';

// Business events as a meter's source (issue 14): the Business Events source's panel, a meter built from it
// into an Event Store target through the canvas, and a run of it from the Run dialog, counted in SQL.

async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

test('without triggers, the Business Events source says how to make an event type', async ({ page }) => {
  test.setTimeout(120_000);
  const workspace = uniqueSlug('e2e-besrc-empty');
  await signIn(page, await addUser(`${workspace}:editor`));
  await openMeter(page, await createMeter(workspace));
  await dragFromPalette(page, 'Business Events source', 150, 150);
  await canvasNodes(page).nth(0).click();
  const empty = page.getByRole('region', { name: 'No business event types yet' });
  await expect(empty).toContainText('Business events are made by triggers');
  await expect(empty.getByRole('link', { name: 'Create a trigger' })).toHaveAttribute('href', '/custom-events/triggers/new');
  await expect(page.getByRole('region', { name: 'Problems of Business Events source' })).toContainText('create a trigger under Custom events → Triggers first');
  await expectAccessible(page);
});

test('business events posted as object changes run through a Business Events source into an Event Store target', async ({ page }) => {
  test.setTimeout(240_000);
  const workspace = uniqueSlug('e2e-besrc');
  await signIn(page, await addUser(`${workspace}:owner`));
  await queryDatabase(
    `INSERT INTO triggers (id, workspace_id, event_type, base_object, condition, updated_at)
     SELECT gen_random_uuid(), id, 'InvoicePosted', 'Invoice', $2, now() FROM workspaces WHERE slug = $1`,
    [workspace, "changed('Status') && Invoice.Status == 'Posted'"],
  );
  // The target: a store whose fields are named like the source's, so the mapping is suggested by name.
  const store = uniqueSlug('posted-invoices');
  await queryDatabase(
    `WITH d AS (
       INSERT INTO event_definitions (id, workspace_id, name, fields, event_id_field, event_time_field, updated_at)
       SELECT gen_random_uuid(), id, 'Posted invoice', $2::jsonb, 'eventId', 'time', now() FROM workspaces WHERE slug = $1 RETURNING id, workspace_id)
     INSERT INTO event_stores (id, workspace_id, definition_id, name) SELECT gen_random_uuid(), workspace_id, id, $3 FROM d`,
    [
      workspace,
      JSON.stringify([
        { name: 'eventId', type: 'string', required: true, description: '' },
        { name: 'time', type: 'datetime', required: true, description: '' },
        { name: 'recordId', type: 'string', required: true, description: '' },
        { name: 'Amount', type: 'number', required: false, description: '' },
      ]),
      store,
    ],
  );

  const invoice = (recordId: string, status: string, amount: number, minute: number) => ({
    object: 'Invoice',
    recordId,
    changeType: 'UPDATE',
    current: { Status: status, Amount: amount },
    previous: { Status: 'Draft', Amount: amount },
    time: `2026-11-02T08:${String(minute).padStart(2, '0')}:00Z`,
  });
  const response = await page.request.post('/api/v1/object-changes', {
    data: [invoice('INV-1', 'Posted', 120, 0), invoice('INV-2', 'Posted', 80, 5), invoice('INV-3', 'Draft', 5, 7), invoice('INV-4', 'Posted', 42.5, 9)],
  });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ accepted: 4, processed: { changes: 4, businessEvents: 3 } });

  const meterName = uniqueSlug('Posted invoices');
  const meterId = await createMeter(workspace, meterName);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openMeter(page, meterId);
  const [source, target] = await buildChainByDragAndDrop(page, ['Business Events source', 'Event Store target']);

  await source!.click();
  await choose(page, 'Business event type', /^InvoicePosted \(Invoice\)/);
  const fields = page.getByRole('region', { name: 'Fields of each event' });
  await expect(fields).toContainText('changedFields');
  await expect(fields).toContainText('Status_old');
  await expectAccessible(page);

  await target!.click();
  await choose(page, 'Event store', new RegExp(`^${store} `));
  await expect(page.getByRole('combobox', { name: 'Mapping of Amount' })).toHaveValue('Amount');
  await expect(page.getByRole('region', { name: 'Problems' }).getByRole('status')).toHaveText('No problems');
  // The preview reads the newest business events of the type: three reach the target.
  await expect(page.locator('[data-testid^="edge-label-"]').filter({ hasText: /^3$/ })).toHaveCount(1, { timeout: 30_000 });

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved version 1.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('toolbar', { name: 'Meter editor' })).toBeVisible();

  await page.getByRole('button', { name: `Run ${meterName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${meterName}` });
  await expect(dialog.getByTestId('run-estimate')).toContainText('Estimate: 3 events');
  await dialog.getByRole('radio', { name: 'Specify time frame' }).check();
  await expect(dialog.getByText(/The business events’ change times run from 2026-11-02 08:00 to 2026-11-02 08:09\./)).toBeVisible();
  await dialog.getByLabel('Start (UTC)', { exact: true }).fill('2026-11-02 08:00');
  await dialog.getByLabel('End (UTC)', { exact: true }).fill('2026-11-02 08:06');
  await expect(dialog.getByTestId('run-estimate')).toContainText('Estimate: 2 events');
  await dialog.getByRole('radio', { name: 'All time' }).check();

  await dialog.getByRole('button', { name: 'Dry run' }).click();
  await expect(dialog.getByRole('table', { name: 'What a run would write' })).toContainText('3', { timeout: 60_000 });
  const count = async () =>
    (await queryDatabase<{ n: number }>(`SELECT count(*)::int AS n FROM events e JOIN event_stores s ON s.id = e.store_id WHERE s.name = $1`, [store]))[0]!.n;
  expect(await count(), 'a dry run writes nothing').toBe(0);

  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-status')).toContainText('Completed', { timeout: 120_000 });
  expect(await count()).toBe(3);
  const rows = await queryDatabase<{ record_id: string; amount: number }>(
    `SELECT e.payload->>'recordId' AS record_id, (e.payload->>'Amount')::float8 AS amount FROM events e JOIN event_stores s ON s.id = e.store_id WHERE s.name = $1 ORDER BY e.event_time`,
    [store],
  );
  expect(rows).toEqual([
    { record_id: 'INV-1', amount: 120 },
    { record_id: 'INV-2', amount: 80 },
    { record_id: 'INV-4', amount: 42.5 },
  ]);
});
