import { readFile } from 'node:fs/promises';
import { addUser, expect, queryDatabase, signIn, test, uniqueSlug } from './fixtures';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

test('create a meter, find it on the meter list; Run on a meter never saved says so and leads to it', async ({ page }) => {
  await signIn(page, await addUser(`${uniqueSlug('e2e-meters')}:editor`));
  await page.goto('/meters');
  await expect(page.getByRole('heading', { name: 'No meters yet' })).toBeVisible();

  const name = uniqueSlug('Daily API calls');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description (optional)').fill('Calls per customer and day.');
  await page.getByRole('button', { name: 'Create meter' }).click();
  // The action redirects to the meter's canvas (app/(console)/meters/[id], the canvas's own page).
  await expect(page).toHaveURL(new RegExp(`/meters/${UUID}$`));
  const meterUrl = page.url();

  await page.goto('/meters');
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row.getByText('Draft with problems')).toBeVisible();
  await expect(row.getByText('Not saved')).toBeVisible();
  await expect(row.getByText('Never run')).toBeVisible();
  await row.getByRole('button', { name: `Run ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${name}` });
  await expect(dialog.getByText('This meter has no saved source to run.')).toBeVisible();
  await dialog.getByRole('link', { name: 'Open it' }).click();
  await expect(page).toHaveURL(meterUrl);
});

test('a store a saved meter uses is In use · Idle, and its page links the meter', async ({ page }) => {
  await signIn(page, await addUser('demo:viewer'));
  await page.goto('/event-stores');
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^billed-requests/ }) });
  await expect(row.getByText('In use · Idle', { exact: true })).toBeVisible();
  await row.getByRole('link', { name: 'billed-requests' }).click();
  const meters = page.getByRole('definition').filter({ hasText: 'Billable API calls' });
  await expect(meters).toHaveText('Billable API calls (writes it)');
  await meters.getByRole('link', { name: 'Billable API calls' }).click();
  await expect(page).toHaveURL(new RegExp(`/meters/${UUID}$`));
});

test('usage records: an empty state that says what fills it, then browse, filter and export', async ({ page }) => {
  const slug = uniqueSlug('e2e-usage');
  await signIn(page, await addUser(`${slug}:viewer`));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage Records' }).click();
  await expect(page.getByRole('heading', { name: 'No usage records yet' })).toBeVisible();
  await expect(page.getByText(/meters whose target is Usage records/)).toBeVisible();

  const [meter] = await queryDatabase<{ id: string }>(
    `INSERT INTO meters (id, workspace_id, name, created_by, updated_by)
     SELECT gen_random_uuid(), id, 'Storage GB-hours', 'e2e', 'e2e' FROM workspaces WHERE slug = $1 RETURNING id`,
    [slug],
  );
  await queryDatabase(
    `INSERT INTO usage_records (workspace_id, meter_id, unique_key, account_number, unit_of_measure, quantity, start_date_time, end_date_time)
     SELECT workspace_id, id, 'k-' || a, 'A-' || a, 'GB_HOUR', a * 1.5, '2026-11-01T00:00Z'::timestamptz + a * interval '1 hour', '2026-11-01T01:00Z'::timestamptz + a * interval '1 hour'
       FROM meters, generate_series(1, 3) AS a WHERE id = $1`,
    [meter!.id],
  );
  await page.reload();
  await expect(page.getByRole('rowheader')).toHaveText(['A-3', 'A-2', 'A-1']);
  await page.getByLabel('Account number').fill('A-2');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('rowheader')).toHaveText(['A-2']);
  await expect(page.getByRole('row').filter({ hasText: 'A-2' })).toContainText('3.0');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  const csv = await readFile((await download.path())!, 'utf8');
  expect(csv.trimEnd().split('\r\n')).toEqual([
    'meter,accountNumber,subscriptionNumber,chargeNumber,unitOfMeasure,quantity,startDateTime,endDateTime,uniqueKey',
    'Storage GB-hours,A-2,,,GB_HOUR,3.0,2026-11-01T02:00:00.000Z,2026-11-01T03:00:00.000Z,k-2',
  ]);
});
