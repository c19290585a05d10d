import AxeBuilder from '@axe-core/playwright';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded-postgres';
import pg from 'pg';
import { addUser, expect, queryDatabase, signIn, test, uniqueSlug } from './fixtures';

// A billing database of the spec's own: an embedded PostgreSQL 18 with wal_level=logical (the suite's
// database may be a wal_level=replica server, which cannot be a source).
let source: EmbeddedPostgres;

test.beforeAll(async () => {
  source = await startEmbeddedPostgres();
  await onSource(`CREATE TABLE invoices (id text PRIMARY KEY, status text NOT NULL, total numeric(12,2));
                  ALTER TABLE invoices REPLICA IDENTITY FULL;
                  CREATE TABLE accounts (id text PRIMARY KEY, name text)`);
});

test.afterAll(async () => {
  await source?.stop();
});

async function onSource(sql: string) {
  const client = new pg.Client({ connectionString: source.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

test('a connector captures a PostgreSQL database: created in the UI after a source test, running, stopped and started, its changes becoming business events', async ({ page }) => {
  const workspace = uniqueSlug('e2e-cdc');
  await signIn(page, await addUser(`${workspace}:editor`));
  await queryDatabase(
    `INSERT INTO triggers (id, workspace_id, event_type, base_object, condition, updated_at)
     SELECT gen_random_uuid(), id, 'InvoicePosted', 'Invoice', $2, now() FROM workspaces WHERE slug = $1`,
    [workspace, "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000"],
  );

  await page.goto('/custom-events');
  await page.getByRole('link', { name: 'Connectors' }).click();
  await expect(page.getByRole('heading', { name: 'No connectors yet' })).toBeVisible();
  await page.getByRole('link', { name: 'New connector' }).first().click();

  const url = new URL(source.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  await page.getByLabel('Name').fill('billing-db');
  await page.getByLabel('Connection string').fill(url.toString());
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Table mappings').fill('invoices -> Invoce: total = Amount\naccounts -> Account');
  await page.getByRole('button', { name: 'Test and create connector' }).click();
  await expect(page.getByLabel('Table mappings')).toHaveAccessibleDescription(/Line 1: there is no billing object “Invoce”\. Did you mean Invoice\?/);

  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Table mappings').fill('invoices -> Invoice: totl = Amount');
  await page.getByRole('button', { name: 'Test and create connector' }).click();
  await expect(page.getByLabel('Table mappings')).toHaveAccessibleDescription(/public\.invoices has no column “totl”\. Did you mean total\?/);

  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Table mappings').fill('invoices -> Invoice: total = Amount\naccounts -> Account');
  await page.getByRole('button', { name: 'Test and create connector' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'billing-db' })).toBeVisible();
  // The password is never shown again.
  await expect(page.getByText(password)).toHaveCount(0);
  await expect(page.getByText('Running', { exact: true })).toBeVisible({ timeout: 20_000 });
  // accounts keeps the default replica identity: the page says what that costs and how to fix it.
  await expect(page.getByRole('note').filter({ hasText: 'Not FULL' })).toContainText('ALTER TABLE "public"."accounts" REPLICA IDENTITY FULL;');
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), 'axe on the connector page').toEqual([]);

  await onSource(`INSERT INTO invoices VALUES ('INV-1', 'Draft', 1500), ('INV-2', 'Draft', 900)`);
  await onSource(`UPDATE invoices SET status = 'Posted'`);
  await expect(page.getByRole('term').filter({ hasText: 'Changes captured' }).locator('xpath=..').getByRole('definition')).toHaveText('4', { timeout: 20_000 });

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Stopped', { exact: true })).toBeVisible({ timeout: 20_000 });
  await onSource(`UPDATE invoices SET status = 'Draft' WHERE id = 'INV-1'`);
  await onSource(`UPDATE invoices SET status = 'Posted' WHERE id = 'INV-1'`);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByText('Running', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('term').filter({ hasText: 'Changes captured' }).locator('xpath=..').getByRole('definition')).toHaveText('6', { timeout: 20_000 });

  // INV-1 posted twice (once while the connector was stopped); INV-2 is under 1,000.
  await page.getByRole('link', { name: 'Business events' }).click();
  const table = page.getByRole('table', { name: 'Business events, newest first' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row').nth(1)).toContainText('INV-1');

  await page.goBack();
  await page.getByRole('button', { name: 'Delete connector' }).click();
  await page.getByRole('button', { name: 'Confirm deleting billing-db' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Connectors' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No connectors yet' })).toBeVisible();
});

test('a source that cannot do logical replication is refused with what to set', async ({ page }) => {
  const walLevel = (await queryDatabase<{ wal_level: string }>('SHOW wal_level'))[0]!.wal_level;
  test.skip(walLevel === 'logical', 'the suite’s own database has wal_level=logical here, so it is no example of a refused source');
  await signIn(page, await addUser(`${uniqueSlug('e2e-cdc-refused')}:editor`));
  await page.goto('/custom-events/connectors/new');
  await page.getByLabel('Name').fill('suite-db');
  await page.getByLabel('Connection string').fill(process.env.DATABASE_URL!);
  await page.getByLabel('Table mappings').fill('workspaces -> Account');
  await page.getByRole('button', { name: 'Test and create connector' }).click();
  await expect(page.getByLabel('Connection string')).toHaveAccessibleDescription(/wal_level = replica; change capture needs wal_level = logical/);
});
