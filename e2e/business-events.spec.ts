import { addUser, expect, queryDatabase, signIn, test, uniqueSlug } from './fixtures';

// Object changes sent to the API become business events for the triggers they match; the page lists them with
// filters and shows one with its payload and why its condition held.
test('changes sent to the Object Changes API become business events: listed, filtered, and explained', async ({ page }) => {
  const workspace = uniqueSlug('e2e-bizevents');
  await signIn(page, await addUser(`${workspace}:editor`));
  await queryDatabase(
    `INSERT INTO triggers (id, workspace_id, event_type, base_object, condition, updated_at)
     SELECT gen_random_uuid(), id, 'InvoicePosted', 'Invoice', $2, now() FROM workspaces WHERE slug = $1`,
    [workspace, "changed('Status') && Invoice.Status == 'Posted'"],
  );

  await page.goto('/custom-events/business-events');
  await expect(page.getByRole('heading', { name: 'No business events yet' })).toBeVisible();

  const at = '2026-11-30T09:15:00Z';
  const response = await page.request.post('/api/v1/object-changes', {
    data: [
      { object: 'Invoice', recordId: 'INV-1', changeType: 'UPDATE', current: { Status: 'Posted', Amount: 1200 }, previous: { Status: 'Draft', Amount: 1200 }, time: at },
      { object: 'Invoice', recordId: 'INV-2', changeType: 'UPDATE', current: { Status: 'Posted', Amount: 80 }, previous: { Status: 'Draft', Amount: 80 }, time: at },
      { object: 'Invoice', recordId: 'INV-3', changeType: 'UPDATE', current: { Status: 'Draft', Amount: 5 }, previous: { Status: 'Draft', Amount: 4 }, time: at },
      { object: 'Invoice', recordId: 'INV-4', changeType: 'UPDATE', current: { Stauts: 'Posted' }, previous: {}, time: at },
    ],
  });
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ accepted: 3, rejected: 1, processed: { changes: 3, businessEvents: 2 } });
  expect(body.rejections[0]).toMatchObject({ position: 3, field: 'current.Stauts', reason: 'Invoice has no field “Stauts”. Did you mean Status?' });

  await page.goto('/custom-events');
  await page.getByRole('link', { name: 'Business events' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Business Events' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Business events, newest first' });
  await expect(table.getByRole('row')).toHaveCount(3);

  await page.getByLabel('Record id').fill('INV-2');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/recordId=INV-2/);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('INV-2');
  await expect(table.getByRole('row').nth(1)).toContainText('Status');

  await page.getByLabel('Changed from (UTC)').fill('not a time');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Some filters need attention.' })).toContainText('“not a time” is not a time; use ISO 8601');
  await expect(page.getByLabel('Changed from (UTC)')).toHaveAccessibleDescription(/“not a time” is not a time/);

  await page.goto('/custom-events/business-events?recordId=INV-1');
  await table.getByRole('link', { name: 'InvoicePosted' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'InvoicePosted: Invoice INV-1' })).toBeVisible();
  const tree = page.getByRole('list', { name: 'How the condition was evaluated' });
  await expect(tree.locator('li[data-state="true"]').first()).toContainText("changed('Status') && Invoice.Status == 'Posted'");
  await expect(page.getByLabel('Previous values')).toContainText('"Status": "Draft"');
  await expect(page.getByLabel('Current values')).toContainText('"Status": "Posted"');
});
