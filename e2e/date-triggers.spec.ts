import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addUser, expect, queryDatabase, signIn, test, uniqueSlug } from './fixtures';

test('an editor creates a date trigger: 30 days before Subscription.TermEndDate at 06:00 in Europe/Paris', async ({ page }) => {
  await signIn(page, await addUser(`${uniqueSlug('e2e-date-triggers')}:editor`));
  const eventType = `RenewalDue_${uniqueSlug('e2e').slice(4).replace(/-/g, '_')}`;
  await startDateTrigger(page, eventType);

  // Without a date field the form says which field to fill, and links the message to it.
  await page.getByRole('button', { name: 'Create trigger' }).click();
  const dateField = page.getByRole('combobox', { name: 'Date field' });
  await expect(dateField).toHaveAccessibleDescription('Choose the date field the trigger counts from, e.g. TermEndDate.');
  await expect(dateField).toBeFocused();

  await fillSchedule(page, { days: 30, time: '06:00', timeZone: 'Europe/Paris' });
  await expect(page.getByText('Fires 30 days before Subscription.TermEndDate, at 06:00 Europe/Paris, once per record and date')).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.getByRole('button', { name: 'Create trigger' }).click();

  await expect(page).toHaveURL(/\/custom-events$/);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${eventType}`) }) });
  await expect(row.getByText('30 days before Subscription.TermEndDate, at 06:00 Europe/Paris')).toBeVisible();
  await expect(row.locator('code.expression')).toHaveText('true');

  await row.getByRole('link', { name: eventType }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeEnabled();
  await expect(page.getByRole('radio', { name: /On a date/ })).toBeChecked();
  await expect(page.getByRole('combobox', { name: 'Date field' })).toHaveValue('TermEndDate');
  await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('Europe/Paris');
});

/** Opens the trigger form for a date trigger on Subscription with this event type. */
async function startDateTrigger(page: Page, eventType: string) {
  await page.goto('/custom-events/triggers/new');
  await expect(page.getByRole('button', { name: 'Create trigger' })).toBeEnabled();
  await page.getByLabel('Base object').selectOption('Subscription');
  await page.getByLabel('Event type', { exact: true }).fill(eventType);
  await page.getByRole('radio', { name: /On a date/ }).check();
}

/** Fills the schedule: `days` before Subscription.TermEndDate, at `time` in `timeZone`. */
async function fillSchedule(page: Page, schedule: { days: number; time: string; timeZone: string }) {
  await page.getByRole('combobox', { name: 'Date field' }).selectOption('TermEndDate');
  await page.getByRole('spinbutton', { name: 'Days' }).fill(String(schedule.days));
  await page.getByRole('combobox', { name: 'Before or after' }).selectOption('before');
  await page.getByLabel('Time of day').fill(schedule.time);
  await page.getByRole('combobox', { name: 'Time zone' }).fill(schedule.timeZone);
}

/** Of a few zones, the one whose local time is furthest from midnight now, with its local date: a test that takes
 * minutes then cannot straddle a day boundary there. */
function zoneAwayFromMidnight(): { timeZone: string; today: string } {
  const now = new Date();
  const local = (timeZone: string) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(now).map((p) => [p.type, p.value]));
    return { timeZone, today: `${parts.year}-${parts.month}-${parts.day}`, distance: Math.min(Number(parts.hour), 23 - Number(parts.hour)) };
  };
  const [best] = ['UTC', 'Asia/Tokyo', 'America/New_York'].map(local).sort((a, b) => b.distance - a.distance);
  return { timeZone: best!.timeZone, today: best!.today };
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

// The running server's own scheduler (a one-minute timer in the `npm start` process) fires the trigger; nothing
// in the test calls the evaluation. A new trigger set for 00:00 is due today as soon as it exists.
test('a date trigger fires in the running server, once, for the record whose date is due today, and not for the one due tomorrow', async ({ page }) => {
  test.setTimeout(180_000);
  const workspace = uniqueSlug('e2e-date-fire');
  await signIn(page, await addUser(`${workspace}:editor`));
  const eventType = `RenewalDue_${uniqueSlug('e2e').slice(4).replace(/-/g, '_')}`;
  const { timeZone, today } = zoneAwayFromMidnight();
  // The records first: a trigger evaluated before they exist would mark today done with nothing fired.
  const subscription = (recordId: string, termEnd: string) => ({
    object: 'Subscription',
    recordId,
    changeType: 'INSERT',
    current: { Name: recordId, Status: 'Active', TermEndDate: termEnd },
    time: new Date().toISOString(),
  });
  const posted = await page.request.post('/api/v1/object-changes', { data: [subscription('SUB-DUE', addDays(today, 30)), subscription('SUB-LATER', addDays(today, 31))] });
  expect(posted.status()).toBe(200);
  expect(await posted.json()).toMatchObject({ accepted: 2 });

  await startDateTrigger(page, eventType);
  await fillSchedule(page, { days: 30, time: '00:00', timeZone });
  await page.getByRole('button', { name: 'Create trigger' }).click();
  await expect(page).toHaveURL(/\/custom-events$/);

  // Within the scheduler's minute (plus a tick in flight), the event is listed.
  await page.goto(`/custom-events/business-events?recordId=SUB-DUE`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('table', { name: 'Business events, newest first' }).getByRole('link', { name: eventType })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 150_000, intervals: [2_000] });

  const fired = await queryDatabase<{ record_id: string; fire_date: string }>(
    `SELECT b.record_id, to_char(b.fire_date, 'YYYY-MM-DD') AS fire_date FROM business_events b JOIN workspaces w ON w.id = b.workspace_id
      WHERE w.slug = $1 AND b.event_type = $2 ORDER BY b.record_id`,
    [workspace, eventType],
  );
  expect(fired).toEqual([{ record_id: 'SUB-DUE', fire_date: today }]);
  // The day is marked done in the event's transaction: the next ticks evaluate nothing for it again.
  const runs = await queryDatabase<{ local_date: string; fired: number }>(
    `SELECT to_char(r.local_date, 'YYYY-MM-DD') AS local_date, r.fired FROM date_trigger_runs r JOIN triggers t ON t.id = r.trigger_id WHERE t.event_type = $1`,
    [eventType],
  );
  expect(runs).toEqual([{ local_date: today, fired: 1 }]);
});
