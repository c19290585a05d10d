import AxeBuilder from '@axe-core/playwright';
import { addUser, expect, signIn, test, uniqueSlug } from './fixtures';
import { API_SCOPE_NAMES } from '@/lib/api-keys/scopes';

/** Issue 10, "What a new user met": one test per fix, each through the real UI. */

async function expectNoSeriousAxeViolations(page: import('@playwright/test').Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test('API keys offer only scopes some API uses, and an unknown /api/v1 path answers a JSON 404', async ({ page, request }) => {
  await signIn(page, await addUser('demo:owner'));
  await page.goto('/settings/api-keys');
  const scopes = page.getByRole('group', { name: 'Scopes' }).getByRole('checkbox');
  await expect(scopes).toHaveCount(API_SCOPE_NAMES.length);
  for (const name of API_SCOPE_NAMES) await expect(page.getByRole('checkbox', { name: new RegExp(name) })).toBeVisible();
  // The Triggers API exists now, so its scopes are offered (scopes.test.ts checks none is offered without a route).
  for (const name of ['triggers:read', 'triggers:write']) await expect(page.getByRole('checkbox', { name: new RegExp(name) })).toHaveCount(1);
  await expectNoSeriousAxeViolations(page);

  const key = uniqueSlug('Reader');
  await page.getByLabel('Name').fill(key);
  await page.getByRole('checkbox', { name: /stores:read/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = await page.getByLabel('New API key').inputValue();

  const missing = await request.get('/api/v1/no-such-api?limit=1', { headers: { authorization: `Bearer ${secret}` } });
  expect(missing.status()).toBe(404);
  expect(missing.headers()['content-type']).toMatch(/^application\/json/);
  expect((await missing.json()).error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('There is no API at GET /api/v1/no-such-api') });
  const post = await request.post('/api/v1/event-stores/x/nothing', { data: {} });
  expect(post.status()).toBe(404);
  expect((await post.json()).error.code).toBe('NOT_FOUND');
});

test('an upload is in the audit log: who, which store, the file name and the counts', async ({ page }) => {
  const owner = await addUser('demo:owner');
  await signIn(page, owner);
  await page.goto('/event-stores');
  const store = uniqueSlug('audited');
  await page.getByLabel('Name').fill(store);
  await page.getByLabel('Event definition').selectOption({ label: 'API Call' });
  await page.getByRole('button', { name: 'Create store' }).click();
  await page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: store }) }).getByRole('link', { name: store }).click();
  const csv = [
    'requestId,occurredAt,customerId,endpoint,region,units,latencyMs',
    'a-1,2026-03-01T00:00:00Z,ACME-001,/v1/usage,eu-west,1,1',
    'a-2,2026-03-01T00:01:00Z,ACME-001,/v1/usage,eu-west,2,1',
    'a-3,not-a-time,ACME-001,/v1/usage,eu-west,1,1',
  ].join('\n');
  await page.getByLabel('File').setInputFiles({ name: 'march usage.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText(/Stored 2 events/)).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' }).click();
  const row = page.getByRole('row', { name: /events\.ingested/ }).filter({ hasText: store });
  await expect(row).toBeVisible();
  await expect(row).toContainText(owner.email);
  await expect(row).toContainText('"fileName":"march usage.csv"');
  // jsonb keeps its own key order: each count on its own.
  for (const count of ['"accepted":2', '"inserted":2', '"replaced":0', '"rejected":1']) await expect(row).toContainText(count);
  await expectNoSeriousAxeViolations(page);
});

test('signing in from a deep link returns to it; a next= that leaves the site lands on Home', async ({ page }) => {
  const user = await addUser('demo:editor');
  await page.goto('/event-stores?view=all');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fevent-stores%3Fview%3Dall$/);
  await expectNoSeriousAxeViolations(page);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/event-stores\?view=all$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Event Stores' })).toBeVisible();

  await page.context().clearCookies();
  await page.goto('/sign-in?next=' + encodeURIComponent('//evil.example/steal'));
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as${user.email}`)).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/');
});

test('Home describes the workspace it is in, and offers first steps in an empty one', async ({ page }) => {
  const workspace = uniqueSlug('empty-ws');
  await signIn(page, await addUser(`${workspace}:owner`));
  await expect(page.getByRole('heading', { level: 2, name: workspace, exact: true })).toBeVisible();
  for (const term of ['Event definitions', 'Event stores', 'Triggers', 'Events in the last 90 days']) {
    await expect(page.getByRole('term').filter({ hasText: term }).locator('xpath=following-sibling::dd')).toHaveText('0');
  }
  await expect(page.getByText(/demo/i)).toHaveCount(0);
  const steps = page.getByRole('region', { name: `First steps in ${workspace}` });
  await expect(steps.getByRole('link', { name: 'Create an event definition' })).toHaveAttribute('href', '/event-definitions/new');
  await expect(steps.getByRole('link', { name: 'Create an event store' })).toBeVisible();
  await expect(steps.getByRole('link', { name: 'create an API key' })).toBeVisible();
  await expect(steps.getByRole('link', { name: 'Write a trigger' })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await steps.getByRole('link', { name: 'Create an event definition' }).click();
  await expect(page).toHaveURL(/\/event-definitions\/new$/);
});

test('a new definition picks its only datetime field as the event time, keeps an explicit choice, and confirms it was created', async ({ page }) => {
  await signIn(page, await addUser('demo:editor'));
  await page.goto('/event-definitions/new');
  await expect(page.getByRole('button', { name: 'Create definition' })).toBeEnabled();
  const name = uniqueSlug('e2e-picked');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Field 1 name').fill('callId');
  // The starter datetime row goes; the one datetime field added later is picked without asking.
  await page.getByRole('button', { name: 'Remove field 2' }).click();
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByLabel('Field 2 name').fill('occurredAt');
  await page.getByLabel('Field 2 type').selectOption('datetime');
  await page.getByLabel('Field 2 required').check();
  await expect(page.getByLabel('Event-time field').locator('option:checked')).toHaveText('occurredAt');
  // A second datetime field does not take over: the choice stays until the user makes another.
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByLabel('Field 3 name').fill('billedAt');
  await page.getByLabel('Field 3 type').selectOption('datetime');
  await page.getByLabel('Field 3 required').check();
  await expect(page.getByLabel('Event-time field').locator('option:checked')).toHaveText('occurredAt');
  await page.getByLabel('Event-time field').selectOption({ label: 'billedAt' });
  await page.getByLabel('Field 3 description').fill('When it was billed.');
  await expect(page.getByLabel('Event-time field').locator('option:checked')).toHaveText('billedAt');
  await expectNoSeriousAxeViolations(page);
  await page.getByRole('button', { name: 'Create definition' }).click();

  await expect(page.getByRole('status').filter({ hasText: `Created definition ${name} (version 1).` })).toBeVisible();
  await expect(page.getByRole('region', { name }).getByText('Event time: billedAt')).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test('forms keep every value after a refused submit and clear errors once their field is edited', async ({ page }) => {
  await signIn(page, await addUser('demo:owner'));
  await page.goto('/event-stores');
  const form = page.getByRole('form', { name: 'New event store' });
  await form.getByLabel('Event definition').selectOption({ label: 'API Call' });
  await form.getByLabel('Name').fill('Bad Name!');
  await form.getByLabel('Description (optional)').fill('kept');
  await form.getByRole('button', { name: 'Create store' }).click();
  const nameError = form.getByText(/lowercase letters/);
  await expect(nameError).toBeVisible();
  await expect(form.getByRole('alert')).toHaveText('Some fields need attention.');
  // Nothing was reset: the definition is still chosen, the other fields hold what was typed.
  await expect(form.getByLabel('Event definition').locator('option:checked')).toHaveText('API Call');
  await expect(form.getByLabel('Name')).toHaveValue('Bad Name!');
  await expect(form.getByLabel('Description (optional)')).toHaveValue('kept');
  await expectNoSeriousAxeViolations(page);
  // Fixing the name takes its error (and the message about it) off the screen.
  const name = uniqueSlug('kept-values');
  await form.getByLabel('Name').fill(name);
  await expect(nameError).toHaveCount(0);
  await expect(form.getByRole('alert')).toHaveCount(0);
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'false');
  await form.getByRole('button', { name: 'Create store' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Created the event store “${name}”.` })).toBeVisible();
  await expect(page.getByRole('rowheader', { name })).toBeVisible();
  // After a success the form starts over.
  await expect(form.getByLabel('Name')).toHaveValue('');

  await page.goto('/settings/api-keys');
  await page.getByLabel('Name').fill('Kept key');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByText('Choose at least one scope.')).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue('Kept key');
  await page.getByRole('checkbox', { name: /events:write/ }).check();
  await expect(page.getByText('Choose at least one scope.')).toHaveCount(0);
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: 'Copy the key “Kept key” now' })).toBeVisible();
});
