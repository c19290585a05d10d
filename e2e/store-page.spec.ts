import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addUser, expect, signIn, test } from './fixtures';

// The browser's own zone is offered beside UTC; pin it so the spec reads the same everywhere.
test.use({ timezoneId: 'Europe/Berlin' });

async function openDemoStore(page: Page) {
  await signIn(page, await addUser('demo:viewer'));
  await page.goto('/event-stores');
  await page.getByRole('link', { name: 'api-calls' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'api-calls' })).toBeVisible();
}

/** No serious or critical axe-core violations on the page as it is now. */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('the time range is typed, checked, zoned and picked on a calendar with the keyboard only; the URL keeps UTC', async ({ page }) => {
  await openDemoStore(page);
  await expectAccessible(page);
  const from = page.getByLabel('From (UTC)', { exact: true });
  await from.focus();
  await page.keyboard.type('2026-11-02 00:00');
  await page.keyboard.press('Tab'); // the From calendar
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('To (UTC)', { exact: true })).toBeFocused();
  await page.keyboard.type('2026-11-01 00:00');
  await page.keyboard.press('Tab');
  await expect(page.getByText('“To” must be after “From”.')).toBeVisible();
  // The form does not submit a range that ends before it starts.
  await page.getByLabel('To (UTC)', { exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page).not.toHaveURL(/from=/);

  // Text that is not a time is named, and blocks the form too.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('11/01/2026');
  await page.keyboard.press('Tab');
  await expect(page.getByText('“11/01/2026” is not a date and time; type it as 2026-11-01 00:00.')).toBeVisible();

  // The browser's zone: the same wall-clock text now means another instant.
  const zone = page.getByLabel('Time zone');
  await zone.focus();
  await page.keyboard.press('ArrowDown');
  await expect(zone).toHaveValue('Europe/Berlin');
  await expect(page.getByRole('option', { name: 'Europe/Berlin (UTC+01:00)' })).toBeAttached();
  const fromBerlin = page.getByLabel('From (Europe/Berlin)', { exact: true });
  const toBerlin = page.getByLabel('To (Europe/Berlin)', { exact: true });
  await fromBerlin.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('2026-11-01 00:00');
  await toBerlin.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('2026-11-01 12:00');

  // The calendar: open it from the keyboard, move a day, pick it; the time of day stays.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Choose To date' })).toBeFocused();
  await page.keyboard.press('Enter');
  const calendar = page.getByRole('dialog', { name: 'Choose To date' });
  await expect(calendar.getByRole('button', { name: /November 1st, 2026/ })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(calendar).toHaveCount(0);
  await expect(toBerlin).toHaveValue('2026-11-02 12:00');
  await expect(page.getByRole('button', { name: 'Choose To date' })).toBeFocused();

  await toBerlin.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/from=2026-10-31T23%3A00%3A00\.000Z/);
  await expect(page).toHaveURL(/to=2026-11-02T11%3A00%3A00\.000Z/);
  // A shared link opens in the same zone, with the same times.
  await page.reload();
  await expect(page.getByLabel('From (Europe/Berlin)', { exact: true })).toHaveValue('2026-11-01 00:00');
  await expect(page.getByLabel('To (Europe/Berlin)', { exact: true })).toHaveValue('2026-11-02 12:00');

  // Presets are computed in the chosen zone: this month starts at midnight of the 1st, there.
  await page.getByRole('button', { name: 'Last month' }).focus();
  await page.keyboard.press('Enter');
  const lastMonth = monthStartsInBerlin();
  await expect(page.getByLabel('From (Europe/Berlin)', { exact: true })).toHaveValue(lastMonth.from);
  await expect(page.getByLabel('To (Europe/Berlin)', { exact: true })).toHaveValue(lastMonth.to);
  await expectAccessible(page);

  // The server stays the authority: a year outside what an event can hold is refused with its message.
  await page.getByLabel('From (Europe/Berlin)', { exact: true }).fill('1800-01-01 00:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(/outside the times/)).toBeVisible();
});

test('the value filter waits for a field, so the list never hides behind an error', async ({ page }) => {
  await openDemoStore(page);
  const value = page.getByLabel('equals');
  await expect(value).toBeDisabled();
  await expect(page.getByLabel('Field').getByRole('option', { name: /any field/i })).toHaveCount(0);
  await page.getByLabel('Field').selectOption('region');
  await expect(value).toBeEnabled();
  await value.fill('ap-south');
  await page.getByRole('button', { name: 'Apply' }).click();
  const events = page.getByRole('table', { name: 'Events, newest first' });
  await expect(page).toHaveURL(/field=region&value=ap-south/);
  await expect(events.getByRole('row').nth(1)).toContainText('ap-south');
  await expect(events.getByRole('row').filter({ hasText: 'eu-west' })).toHaveCount(0);
});

test('View opens the event in a drawer with its own URL, without a reload; closing returns focus to View', async ({ page }) => {
  await openDemoStore(page);
  const events = page.getByRole('table', { name: 'Events, newest first' });
  const view = events.getByRole('link', { name: /^View event / }).first();
  const label = (await view.getAttribute('aria-label'))!;
  const eventId = label.replace('View event ', '');
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await view.focus();
  await page.keyboard.press('Enter');

  const drawer = page.getByRole('dialog', { name: `Event ${eventId}` });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByLabel(`JSON of event ${eventId}`)).toContainText(`"requestId": "${eventId}"`);
  await expect(page).toHaveURL(new RegExp(`[?&]event=${eventId}`));
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await expect(drawer.getByRole('button', { name: 'Close' })).toBeFocused();
  await expectAccessible(page);

  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(page).not.toHaveURL(/event=/);
  await expect(page.getByRole('link', { name: label })).toBeFocused();

  // The drawer's URL is shareable: opening it opens the drawer.
  await page.goBack();
  await expect(page.getByRole('dialog', { name: `Event ${eventId}` })).toBeVisible();
  await page.goto(page.url());
  await expect(page.getByRole('dialog', { name: `Event ${eventId}` })).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('the chart has axes with values and reads out a bucket on hover and from the keyboard', async ({ page }) => {
  await openDemoStore(page);
  const chart = page.getByRole('img', { name: /^Events per day: [\d,]+ over \d+ days, most on / });
  await expect(chart).toBeVisible();
  // Counts on the y axis, days on the x axis.
  await expect(chart.getByText('0', { exact: true })).toBeVisible();
  await expect(chart.getByText(/^\d{1,3}(,\d{3})+$|^[1-9]\d{2,}$/).first()).toBeVisible();
  await expect(chart.getByText(/^\d{4}-\d{2}-\d{2}$/).first()).toBeVisible();
  const readout = page.getByText(/^[\d,]+ events?$/);
  await chart.hover();
  await expect(readout).toBeVisible();
  await expect(page.getByText(/^\d{4}-\d{2}-\d{2} \(UTC\)$/)).toBeVisible();
  await page.mouse.move(0, 0);
  await expect(readout).toHaveCount(0);
  await chart.focus();
  await page.keyboard.press('ArrowRight');
  await expect(readout).toBeVisible();
});

/** Last month in Europe/Berlin as the range fields show it: midnight of its 1st to midnight of this month's 1st. */
function monthStartsInBerlin(): { from: string; to: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const first = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01 00:00`;
  return { from: month === 1 ? first(year - 1, 12) : first(year, month - 1), to: first(year, month) };
}
