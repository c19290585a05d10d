import { readFile } from 'node:fs/promises';
import { addUser, expect, signIn, test, uniqueSlug } from './fixtures';

const DAY = 86_400_000;
const START = Date.parse('2026-03-01T00:00:00Z');

/** 10,000 API Call rows, 1,000 a day from 2026-03-01, plus three bad rows. */
function csvFile(): Buffer {
  const lines = ['requestId,occurredAt,customerId,endpoint,region,units,latencyMs'];
  for (let i = 0; i < 10_000; i++) {
    const at = new Date(START + Math.floor(i / 1000) * DAY + (i % 1000) * 60_000).toISOString();
    lines.push(`r-${String(i).padStart(5, '0')},${at},ACME-${String(i % 40).padStart(3, '0')},/v1/usage,eu-west,${(i % 20) + 1},${(i % 900) / 3}`);
  }
  lines.push('bad-1,not-a-time,ACME-001,/v1/usage,eu-west,1,1');
  lines.push('bad-2,2026-03-01T00:00:00Z,ACME-001,/v1/usage,eu-west,many,1');
  lines.push(',2026-03-01T00:00:00Z,ACME-001,/v1/usage,eu-west,1,1');
  return Buffer.from(lines.join('\n') + '\n');
}

test('create a store, upload 10,000 CSV rows with progress, browse a time range, open an event, export the range', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  await page.goto('/event-stores');

  const name = uniqueSlug('e2e-usage');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Event definition').selectOption({ label: 'API Call' });
  await page.getByRole('button', { name: 'Create store' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row.getByText('Orphan')).toBeVisible();
  await row.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('No events yet')).toBeVisible();

  // Slow the upload down so its progress can be watched.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
  await page.getByLabel('File').setInputFiles({ name: 'usage.csv', mimeType: 'text/csv', buffer: csvFile() });
  await page.getByRole('button', { name: 'Upload' }).click();
  const progress = page.getByRole('progressbar', { name: 'Upload progress' });
  await expect(progress).toBeVisible();
  await expect(page.getByText(/^\d+% · /)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Stored 10,000 events (10,000 new, 0 replaced).' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Rejected 3 records' })).toBeVisible();
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const rejections = page.getByRole('table', { name: 'Rejected records' });
  await expect(rejections.getByRole('row', { name: /10002 occurredAt/ })).toBeVisible();
  await expect(rejections.getByRole('row', { name: /10003 units .*whole number/ })).toBeVisible();
  await expect(rejections.getByRole('row', { name: /10004 requestId Required field/ })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: '10,000' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Events per hour: 10,000 over 233 hours, most on / })).toBeVisible();

  await page.getByLabel('From (UTC)', { exact: true }).fill('2026-03-04 00:00');
  await page.getByLabel('To (UTC)', { exact: true }).fill('2026-03-05 00:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  const events = page.getByRole('table', { name: 'Events, newest first' });
  await expect(events.getByRole('row').nth(1)).toContainText('2026-03-04 16:39:00 UTC');
  await expect(events.getByRole('rowheader', { name: 'r-03999' })).toBeVisible();

  await page.getByRole('link', { name: 'View event r-03999' }).click();
  const drawer = page.getByRole('dialog', { name: 'Event r-03999' });
  const json = drawer.getByLabel('JSON of event r-03999');
  await expect(json).toContainText('"occurredAt": "2026-03-04T16:39:00.000Z"');
  await expect(json).toContainText('"units": 20');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toBe('requestId,occurredAt,customerId,endpoint,region,units,latencyMs');
  expect(lines).toHaveLength(1 + 1000);
  expect(lines[1]).toMatch(/^r-03000,2026-03-04T00:00:00.000Z,/);

  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(events.getByRole('rowheader', { name: 'r-03949' })).toBeVisible();
  await page.getByRole('link', { name: 'Previous page' }).click();
  await expect(events.getByRole('row').nth(1)).toContainText('r-03999');
  await expect(events.getByRole('row')).toHaveCount(51);
  await expect(page.getByRole('link', { name: 'Previous page' })).toHaveCount(0);

  // The value is asked for once a field is chosen: there is no "any field" that would hide the list behind an error.
  await expect(page.getByLabel('equals')).toBeDisabled();
  await expect(page.getByRole('option', { name: /any field/i })).toHaveCount(0);
  await page.getByLabel('Field').selectOption('region');
  await page.getByLabel('equals').fill('eu-west');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No events are shown until the filter is fixed.')).toHaveCount(0);
  await expect(events.getByRole('row').nth(1)).toContainText('eu-west');
  await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();
});

test('a viewer can browse a store but is told why they cannot upload', async ({ page }) => {
  await signIn(page, await addUser('demo:viewer'));
  await page.goto('/event-stores');
  await page.getByRole('link', { name: 'storage-snapshots' }).click();
  await expect(page.getByRole('note')).toHaveText('You are a viewer in Demo workspace: only owners and editors can send or delete events.');
  await expect(page.getByRole('button', { name: 'Upload' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Events, newest first' }).getByRole('row')).toHaveCount(51);
});

test('a store of another workspace is not found, even by its exact address', async ({ page }) => {
  await signIn(page, await addUser(`${uniqueSlug('other')}:owner`));
  const viewer = await addUser('demo:viewer');
  const other = await page.context().browser()!.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, viewer);
  await otherPage.goto('/event-stores');
  await otherPage.getByRole('link', { name: 'api-calls' }).click();
  await otherPage.waitForURL(/\/event-stores\/[0-9a-f-]{36}$/);
  const demoStoreUrl = otherPage.url();
  await other.close();
  const response = await page.goto(new URL(demoStoreUrl).pathname);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('api-calls')).toHaveCount(0);
});
