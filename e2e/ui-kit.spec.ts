import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addUser, expect, setCondition, signIn, test, uniqueSlug, workspaceButton } from './fixtures';

/** No serious or critical axe-core violations on the page as it is now. */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const toasts = (page: Page) => page.getByRole('region', { name: /Notifications/ });

test('completed actions raise a toast; dates read "2026-11-30 00:51 UTC", relative where it helps, full on hover', async ({ page }) => {
  const user = await addUser('demo:owner');
  await signIn(page, user);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Keys' }).click();
  const name = uniqueSlug('Toast');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('checkbox', { name: /stores:read/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(toasts(page).getByText('API key created. Copy it now: it is shown once.')).toBeVisible();

  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  const created = row.locator('time').first();
  await expect(created).toContainText('just now');
  await created.hover();
  await expect(page.getByRole('tooltip')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  await expectAccessible(page);

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('button', { name: `Confirm revoking ${name}` }).click();
  await expect(toasts(page).getByText(`API key “${name}” revoked.`)).toBeVisible();

  await page.goto('/settings/audit');
  const when = page.getByRole('table').locator('time').first();
  await when.focus();
  await expect(page.getByRole('tooltip')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  await expectAccessible(page);
});

test('an action that redirects (a new trigger goes back to the list) still confirms itself with a toast', async ({ page }) => {
  await signIn(page, await addUser(`${uniqueSlug('e2e-kit')}:editor`));
  const eventType = `KitToast_${uniqueSlug('e2e').slice(4).replace(/-/g, '_')}`;
  await page.goto('/custom-events/triggers/new');
  await expect(page.getByRole('button', { name: 'Create trigger' })).toBeEnabled();
  await page.getByLabel('Base object').selectOption('Invoice');
  await page.getByLabel('Event type', { exact: true }).fill(eventType);
  await setCondition(page, "Invoice.Status == 'Posted'");
  await page.getByRole('button', { name: 'Create trigger' }).click();
  await expect(page).toHaveURL(/\/custom-events$/);
  await expect(toasts(page).getByText('Trigger created.')).toBeVisible();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${eventType}`) }) });
  await expect(row.locator('time')).toContainText('just now');
  await expectAccessible(page);
});

test('the workspace switcher shows full names and switches in one action, by keyboard too, never on arrow keys alone', async ({ page }) => {
  const longName = uniqueSlug('e2e-a-workspace-whose-name-is-much-longer-than-the-sidebar');
  await signIn(page, await addUser('demo:owner', `${longName}:viewer`));
  await page.goto('/event-stores');
  const button = workspaceButton(page);
  await expect(button).toHaveText('Demo workspace');

  await button.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Workspaces' });
  await expect(menu.getByRole('menuitem', { name: 'Demo workspace' })).toBeFocused();
  await expectAccessible(page);
  // One key at a time, each followed by where focus went (a burst of keys raced the menu's re-renders under load).
  for (const [key, name] of [['ArrowDown', longName], ['ArrowUp', 'Demo workspace'], ['ArrowDown', longName]] as const) {
    await page.keyboard.press(key);
    await expect(menu.getByRole('menuitem', { name })).toBeFocused();
  }
  // Arrowing moved focus only: still the demo workspace, still this page.
  await expect(page).toHaveURL(/\/event-stores$/);
  await page.keyboard.press('Enter');

  await expect(page.getByText('viewer', { exact: true })).toBeVisible();
  await expect(button).toHaveText(longName);
  // Not cut: the whole name fits in the button (it wraps).
  expect(await button.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expectAccessible(page);

  await button.click();
  await page.getByRole('menuitem', { name: 'Demo workspace' }).click();
  await expect(button).toHaveText('Demo workspace');
  await expect(page.getByText('owner', { exact: true })).toBeVisible();
});

test('a store status badge explains itself on hover and on focus, and the stores list has a legend', async ({ page }) => {
  await signIn(page, await addUser('demo:viewer'));
  await page.goto('/event-stores');
  // The demo meter uses api-calls and billed-requests; storage-snapshots is no meter's.
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^storage-snapshots/ }) });
  const badge = row.getByText('Orphan', { exact: true });
  // Focus again until the page has hydrated: a focus that lands before React attached the tooltip's
  // handlers (a loaded CI machine) opens nothing, and a person would simply not be that fast.
  await expect(async () => {
    await badge.blur();
    await badge.focus();
    await expect(page.getByRole('tooltip')).toHaveText(/^Orphan: No meter uses this store yet\. .*connect it to a meter/, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(badge).toHaveAttribute('aria-describedby', /.+/);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await badge.blur();
  await badge.hover();
  await expect(page.getByRole('tooltip')).toContainText('No meter uses this store yet.');

  const legend = page.getByRole('region', { name: 'Status' });
  await expect(legend.getByRole('term')).toHaveText(['Orphan', 'In use · Idle', 'In use · Writing', 'Deleting']);
  await expect(legend.getByRole('definition').nth(3)).toHaveText('A backfill is deleting events from this store now.');
  await expectAccessible(page);
});

test('the drop zone takes a dropped file; a partly successful upload shows success and rejections apart, and the rejected rows download as CSV', async ({ page }) => {
  await signIn(page, await addUser('demo:editor'));
  await page.goto('/event-stores');
  const name = uniqueSlug('e2e-drop');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Event definition').selectOption({ label: 'API Call' });
  await page.getByRole('button', { name: 'Create store' }).click();
  await expect(toasts(page).getByText(`Event store “${name}” created.`)).toBeVisible();
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  const header = 'requestId,occurredAt,customerId,endpoint,region,units,latencyMs';
  const csv = [
    header,
    'd-1,2026-03-01T00:00:00Z,ACME-001,/v1/usage,eu-west,1,1',
    'd-2,2026-03-01T00:01:00Z,ACME-001,/v1/usage,eu-west,2,1',
    'bad-1,not-a-time,ACME-001,/v1/usage,eu-west,1,1',
    'bad-2,2026-03-01T00:00:00Z,"ACME, Inc",/v1/usage,eu-west,many,1',
  ].join('\n');
  // Drop it as a browser drop would: a DataTransfer holding the file, dropped on the zone.
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'mixed.csv', { type: 'text/csv' }));
    return transfer;
  }, csv);
  const zone = page.getByText('Drop a file here');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByText('mixed.csv')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Upload' }).click();
  const stored = page.getByRole('status').filter({ hasText: 'Stored 2 events (2 new, 0 replaced).' });
  await expect(stored).toBeVisible();
  await expect(stored).toHaveClass(/ok/);
  await expect(toasts(page).getByText('Uploaded 2 events from “mixed.csv”.')).toBeVisible();
  const rejected = page.getByRole('region', { name: 'Rejected 2 records' });
  await expect(rejected.getByRole('row', { name: /^5 units / })).toBeVisible();
  await expectAccessible(page);

  const downloading = page.waitForEvent('download');
  await rejected.getByRole('button', { name: 'Download rejected rows (CSV)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('mixed-rejected.csv');
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text.trim().split(/\r\n/);
  expect(lines[0]).toBe(`position,reason,${header}`);
  expect(lines[1]).toMatch(/^4,.*occurredAt.*,bad-1,not-a-time,ACME-001,\/v1\/usage,eu-west,1,1$/);
  expect(lines[2]).toMatch(/^5,.*units.*,bad-2,2026-03-01T00:00:00Z,"ACME, Inc",\/v1\/usage,eu-west,many,1$/);
  expect(lines).toHaveLength(3);
});
