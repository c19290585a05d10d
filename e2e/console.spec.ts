import { addUser, expect, signIn, test, type TestUser, workspaceButton } from './fixtures';

const SECTIONS = [
  { link: 'Meters', heading: 'Meters', shows: 'Billable API calls' },
  { link: 'Event Stores', heading: 'Event Stores', shows: 'api-calls' },
  { link: 'Event Definitions', heading: 'Event Definitions', shows: 'API Call' },
  // The demo's triggers exist only when its database can do logical replication (the embedded one): the description either way.
  { link: 'Custom Events', heading: 'Custom Events', shows: 'Triggers turn changes to billing objects' },
  { link: 'Runs', heading: 'Runs', shows: 'Every run of every meter in this workspace' },
  { link: 'Usage Records', heading: 'Usage Records', shows: 'No usage records yet' },
  { link: 'API Keys', heading: 'API Keys', shows: 'Create an API key' },
  { link: 'Audit Log', heading: 'Audit Log', shows: 'Who changed what' },
] as const;

let owner: TestUser;
test.beforeAll(async () => {
  owner = await addUser('demo:owner');
});

test.describe('signed in to the demo workspace', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, owner);
  });

  test('the home page tells a new user where to start and shows the demo workspace', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome to the Usage Console' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Where to start' })).toBeVisible();
    await expect(workspaceButton(page)).toHaveText('Demo workspace');
    const storedEvents = page.getByRole('definition').filter({ hasText: /\d/ }).last();
    const count = Number((await storedEvents.innerText()).replace(/,/g, ''));
    expect(count).toBeGreaterThanOrEqual(100_000);
  });

  test('every section is reachable from the navigation and marks itself current', async ({ page }) => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const section of SECTIONS) {
      await nav.getByRole('link', { name: section.link, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: section.heading })).toBeVisible();
      await expect(nav.getByRole('link', { name: section.link, exact: true })).toHaveAttribute('aria-current', 'page');
      await expect(page.getByText(section.shows).first()).toBeVisible();
    }
  });

  test('the event stores list shows the demo stores with at least 50,000 events each', async ({ page }) => {
    await page.goto('/event-stores');
    for (const name of ['api-calls', 'storage-snapshots']) {
      const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
      await expect(row).toHaveCount(1);
      const events = Number((await row.getByRole('cell').nth(2).innerText()).replace(/,/g, ''));
      expect(events).toBeGreaterThanOrEqual(50_000);
    }
  });

  test('the event definitions page lists each field with its type and the id and time fields', async ({ page }) => {
    await page.goto('/event-definitions');
    const apiCall = page.getByRole('region', { name: 'API Call' });
    await expect(apiCall.getByText('Event id: requestId')).toBeVisible();
    await expect(apiCall.getByRole('table', { name: 'Fields of API Call' }).getByRole('row', { name: /occurredAt datetime yes/ })).toBeVisible();
  });

  test('keyboard users can skip to the content', async ({ page }) => {
    await page.goto('/runs');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);
  });

  test('an unknown page says so and links home', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the console home' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome to the Usage Console' })).toBeVisible();
  });
});

test('the health endpoint reports the database up and migrated, without signing in', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok', database: 'up', migrations: { pending: 0 } });
});
