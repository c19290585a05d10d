import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addUser, conditionEditor, expect, queryDatabase, signIn, test, type TestUser, uniqueSlug } from './fixtures';

/**
 * Every console page, as an owner of the demo workspace (who sees every form), checked by axe-core: no
 * serious or critical violations. A page added to the console gets a line here.
 */

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(serious, `axe violations on ${page.url()}`).toEqual([]);
}

let owner: TestUser;
test.beforeAll(async () => {
  owner = await addUser('demo:owner');
});

test('the sign-in page', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);
});

test.describe('signed in', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, owner);
  });

  const PAGES: { path: string; heading: RegExp }[] = [
    { path: '/', heading: /Welcome/ },
    { path: '/event-stores', heading: /^Event Stores$/ },
    { path: '/event-definitions', heading: /^Event Definitions$/ },
    { path: '/event-definitions/new', heading: /^New event definition$/ },
    { path: '/custom-events', heading: /^Custom Events$/ },
    { path: '/custom-events/business-events', heading: /^Business Events$/ },
    { path: '/custom-events/notifications', heading: /^Notifications$/ },
    { path: '/custom-events/notifications/new', heading: /^Add notification endpoint$/ },
    { path: '/custom-events/notifications/mail', heading: /^Caught mail$/ },
    { path: '/custom-events/connectors', heading: /^Connectors$/ },
    { path: '/custom-events/connectors/new', heading: /^New connector$/ },
    { path: '/meters', heading: /^Meters$/ },
    { path: '/runs', heading: /^Runs$/ },
    { path: '/usage-records', heading: /^Usage Records$/ },
    { path: '/settings/api-keys', heading: /^API Keys$/ },
    { path: '/settings/audit', heading: /^Audit Log$/ },
  ];
  for (const { path, heading } of PAGES) {
    test(`the page ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expectAccessible(page);
    });
  }

  test('a store page', async ({ page }) => {
    await page.goto('/event-stores');
    await page.getByRole('link', { name: 'api-calls', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'api-calls' })).toBeVisible();
    await expectAccessible(page);
  });

  test("a store's backfill page", async ({ page }) => {
    const [store] = await queryDatabase<{ id: string }>(`SELECT s.id FROM event_stores s JOIN workspaces w ON w.id = s.workspace_id WHERE w.slug = 'demo' AND s.name = 'api-calls'`);
    await page.goto(`/event-stores/${store!.id}/backfill`);
    await expect(page.getByRole('heading', { level: 1, name: 'Backfill api-calls' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Backfill steps' })).toBeVisible();
    await expectAccessible(page);
  });

  test('the Run dialog, a run page and a meter\'s run history', async ({ page }) => {
    await page.goto('/meters');
    await page.getByRole('button', { name: 'Run Billable API calls' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run Billable API calls' });
    await dialog.getByRole('radio', { name: 'Specify time frame' }).check();
    await expect(dialog.getByTestId('run-estimate')).toContainText('all time holds');
    await expectAccessible(page);
    // A dry run (it writes nothing) gives the run page below a run to show, whatever ran before in this database.
    await dialog.getByRole('radio', { name: 'All time' }).check();
    await dialog.getByRole('button', { name: 'Dry run' }).click();
    await expect(dialog.getByRole('table', { name: 'What a run would write' })).toBeVisible({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    const [meter] = await queryDatabase<{ id: string }>(`SELECT m.id FROM meters m JOIN workspaces w ON w.id = m.workspace_id WHERE w.slug = 'demo' AND m.name = 'Billable API calls'`);
    await page.goto(`/meters/${meter!.id}/runs`);
    await expect(page.getByRole('heading', { level: 1, name: 'Runs of Billable API calls' })).toBeVisible();
    await expectAccessible(page);
    const [run] = await queryDatabase<{ id: string }>(`SELECT id FROM meter_runs WHERE meter_id = $1 ORDER BY created_at DESC LIMIT 1`, [meter!.id]);
    expect(run, 'the dry run started above').toBeTruthy();
    await page.goto(`/runs/${run!.id}`);
    await expect(page.getByRole('heading', { level: 1, name: /[Rr]un of Billable API calls/ })).toBeVisible();
    await expectAccessible(page);
  });

  test('a definition edit page', async ({ page }) => {
    await page.goto('/event-definitions');
    await page.getByRole('link', { name: 'Edit API Call' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Edit API Call' })).toBeVisible();
    await expectAccessible(page);
  });

  test('the new trigger page', async ({ page }) => {
    await page.goto('/custom-events/triggers/new');
    await conditionEditor(page);
    await expectAccessible(page);
  });

  test('a trigger edit page', async ({ page }) => {
    // In a workspace of its own: the demo workspace stays without triggers for the other specs.
    const workspace = uniqueSlug('axe-triggers');
    const user = await addUser(`${workspace}:owner`);
    const [row] = await queryDatabase<{ id: string }>(
      `INSERT INTO triggers (id, workspace_id, event_type, base_object, condition, updated_at)
       SELECT gen_random_uuid(), id, 'InvoicePosted', 'Invoice', 'Invoice.Status == "Posted"', now() FROM workspaces WHERE slug = $1
       RETURNING id`,
      [workspace],
    );
    await page.context().clearCookies();
    await signIn(page, user);
    await page.goto(`/custom-events/triggers/${row!.id}`);
    await conditionEditor(page);
    await expectAccessible(page);
  });
});
