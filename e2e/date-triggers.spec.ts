import AxeBuilder from '@axe-core/playwright';
import { addUser, expect, signIn, test, uniqueSlug } from './fixtures';

test('an editor creates a date trigger: 30 days before Subscription.TermEndDate at 06:00 in Europe/Paris', async ({ page }) => {
  await signIn(page, await addUser(`${uniqueSlug('e2e-date-triggers')}:editor`));
  const eventType = `RenewalDue_${uniqueSlug('e2e').slice(4).replace(/-/g, '_')}`;
  await page.goto('/custom-events/triggers/new');
  await expect(page.getByRole('button', { name: 'Create trigger' })).toBeEnabled();
  await page.getByLabel('Base object').selectOption('Subscription');
  await page.getByLabel('Event type', { exact: true }).fill(eventType);
  await page.getByRole('radio', { name: /On a date/ }).check();

  // Without a date field the form says which field to fill, and links the message to it.
  await page.getByRole('button', { name: 'Create trigger' }).click();
  const dateField = page.getByRole('combobox', { name: 'Date field' });
  await expect(dateField).toHaveAccessibleDescription('Choose the date field the trigger counts from, e.g. TermEndDate.');
  await expect(dateField).toBeFocused();

  await dateField.selectOption('TermEndDate');
  await page.getByRole('spinbutton', { name: 'Days' }).fill('30');
  await page.getByRole('combobox', { name: 'Before or after' }).selectOption('before');
  await page.getByLabel('Time of day').fill('06:00');
  await page.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Paris');
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
