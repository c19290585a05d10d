import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import pg from 'pg';
import { addUser, expect, queryDatabase, signIn, test, uniqueSlug, type TestUser } from './fixtures';

/**
 * Issue 13's acceptance, through the console: a workspace of its own with a store of 20 events (ids ev-01…ev-20,
 * one an hour from 2026-03-01 00:00 UTC) that a saved meter writes. Template, upload, preview, confirm, the result
 * and the store idle again, the events gone from the browser, undo and they are back; each bad file refused with
 * its message and nothing deleted; the Backfill button waits while a run writes the store and comes back without a
 * reload; two backfills confirmed at once: one deletes, the other is refused with a message.
 */

test.describe.configure({ mode: 'serial' });

const HOUR = 3_600_000;
const START = Date.parse('2026-03-01T00:00:00Z');
const eventId = (n: number) => `ev-${String(n).padStart(2, '0')}`;
const eventTime = (n: number) => new Date(START + (n - 1) * HOUR).toISOString();
const csv = (...rows: number[]) => Buffer.from(['id,at', ...rows.map((n) => `${eventId(n)},${eventTime(n)}`)].join('\n') + '\n');

let owner: TestUser;
let storeId: string;
let storeName: string;
let meterName: string;

/** The store's event ids now, in order. */
const storedIds = async () => (await queryDatabase<{ event_id: string }>(`SELECT event_id FROM events WHERE store_id = $1 ORDER BY event_id`, [storeId])).map((r) => r.event_id);
const ALL = Array.from({ length: 20 }, (_, i) => eventId(i + 1));

test.beforeAll(async () => {
  const slug = uniqueSlug('backfill');
  owner = await addUser(`${slug}:owner`);
  storeName = `usage-${slug.slice(-8)}`;
  meterName = `Refill ${slug.slice(-8)}`;
  const fields = JSON.stringify([
    { name: 'id', type: 'string', required: true, description: '' },
    { name: 'at', type: 'datetime', required: true, description: '' },
  ]);
  const [store] = await queryDatabase<{ id: string; workspace_id: string; source_id: string }>(
    `WITH d AS (INSERT INTO event_definitions (id, workspace_id, name, fields, event_id_field, event_time_field, updated_at)
                SELECT gen_random_uuid(), id, 'Usage', $2::jsonb, 'id', 'at', now() FROM workspaces WHERE slug = $1 RETURNING id, workspace_id),
          src AS (INSERT INTO event_stores (id, workspace_id, definition_id, name) SELECT gen_random_uuid(), workspace_id, id, 'raw' FROM d RETURNING id)
     INSERT INTO event_stores (id, workspace_id, definition_id, name) SELECT gen_random_uuid(), workspace_id, id, $3 FROM d
     RETURNING id, workspace_id, (SELECT id FROM src) AS source_id`,
    [slug, fields, storeName],
  );
  storeId = store!.id;
  await queryDatabase(
    `INSERT INTO events (store_id, event_id, event_time, payload)
     SELECT $1, 'ev-' || lpad(n::text, 2, '0'), $2::timestamptz + (n - 1) * interval '1 hour',
            jsonb_build_object('id', 'ev-' || lpad(n::text, 2, '0'), 'at', to_char(($2::timestamptz + (n - 1) * interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       FROM generate_series(1, 20) n`,
    [storeId, new Date(START)],
  );
  // A saved meter that writes the store (raw → store), for the replay offer.
  const graph = {
    nodes: [
      { id: 'src', kind: 'source.eventStore', label: '', position: { x: 0, y: 0 }, config: { storeId: store!.source_id } },
      { id: 'dst', kind: 'target.eventStore', label: '', position: { x: 300, y: 0 }, config: { storeId, mapping: { id: 'id', at: 'at' } } },
    ],
    edges: [{ id: 'src-dst', source: 'src', sourcePort: 'out', target: 'dst', targetPort: 'in' }],
  };
  await queryDatabase(
    `WITH m AS (INSERT INTO meters (id, workspace_id, name, version, created_by, updated_by) VALUES (gen_random_uuid(), $1, $2, 1, 'e2e', 'e2e') RETURNING id),
          v AS (INSERT INTO meter_versions (id, meter_id, version, graph, created_by) SELECT gen_random_uuid(), id, 1, $3::jsonb, 'e2e' FROM m)
     INSERT INTO meter_stores (meter_id, store_id, role)
     SELECT m.id, x.store_id, x.role::"MeterStoreRole" FROM m, (VALUES ($4::uuid, 'target'), ($5::uuid, 'source')) x(store_id, role)`,
    [store!.workspace_id, meterName, JSON.stringify(graph), storeId, store!.source_id],
  );
});

/** No serious or critical axe-core violations on the page as it is now. */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function openStore(page: Page) {
  await page.goto(`/event-stores/${storeId}`);
  await expect(page.getByRole('heading', { level: 1, name: storeName })).toBeVisible();
}

/** From the store page to the backfill page's Upload step. */
async function openUpload(page: Page) {
  await page.goto(`/event-stores/${storeId}/backfill`);
  await page.getByRole('button', { name: 'Next: upload' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '2. Upload' })).toBeFocused();
}

async function upload(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await page.getByRole('button', { name: 'Upload and preview' }).click();
}

test('template, upload, preview, confirm, the store idle again, the events gone; undo brings them back', async ({ page }) => {
  await signIn(page, owner);
  await openStore(page);
  const backfills = page.getByRole('region', { name: 'Backfills' });
  await expect(backfills.getByText('No backfills yet.')).toBeVisible();
  await page.getByRole('link', { name: 'Backfill', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Backfill ${storeName}` })).toBeVisible();
  const steps = page.getByRole('navigation', { name: 'Backfill steps' });
  await expect(steps.getByRole('listitem')).toHaveText(['1 Download template', '2 Upload', '3 Preview', '4 Confirm', '5 Done']);

  // 1. The template: the limits in a comment line, then this store's header and an example row.
  const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download template' }).click()]);
  const lines = (await readFile((await template.path())!, 'utf8')).trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/^# .*1,000 rows/);
  expect(lines[1]).toBe('id,at');
  expect(lines).toHaveLength(3);

  // 2. Upload three rows that match stored events (keyboard: the step's button, then the file field).
  await page.getByRole('button', { name: 'Next: upload' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: '2. Upload' })).toBeFocused();
  await expect(steps.getByRole('listitem').nth(1)).toHaveAttribute('aria-current', 'step');
  await upload(page, 'three.csv', csv(2, 5, 9));

  // 3. Preview: counts, nothing deleted yet.
  await expect(page.getByRole('heading', { level: 2, name: '3. Preview' })).toBeFocused();
  await expect(page).toHaveURL(/\?b=[0-9a-f-]{36}$/);
  const counts = page.locator('.backfill-counts');
  await expect(counts.getByRole('definition')).toHaveText(['3', '3', '0']);
  expect(await storedIds()).toEqual(ALL);
  await expectAccessible(page);

  // 4. Confirm in a dialog that names the count and the store.
  await page.getByRole('button', { name: 'Next: confirm' }).click();
  await page.getByRole('button', { name: 'Delete 3 events…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete 3 events from ${storeName}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete 3 events' }).click();

  // 5. The numbers, the store idle again (a meter writes it), and the replay offer.
  await expect(page.getByRole('heading', { level: 2, name: '5. Done' })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: `Deleted 3 events from ${storeName}` })).toContainText('The store is In use · Idle again.');
  await expect(counts.getByRole('definition')).toHaveText(['3', '3', '0']);
  await expect(counts.getByRole('term')).toHaveText(['Requested', 'Deleted', 'Not found']);
  expect(await storedIds()).toEqual(ALL.filter((id) => !['ev-02', 'ev-05', 'ev-09'].includes(id)));
  await expectAccessible(page);
  await page.getByRole('button', { name: `Replay ${meterName}` }).click();
  const run = page.getByRole('dialog', { name: `Run ${meterName}` });
  await expect(run.getByRole('radio', { name: 'Specify time frame' })).toBeChecked();
  await expect(run.getByLabel('Start (UTC)', { exact: true })).toHaveValue('2026-03-01 01:00');
  await expect(run.getByLabel('End (UTC)', { exact: true })).toHaveValue('2026-03-01 08:01');
  await page.keyboard.press('Escape');

  // The store: Idle, the events gone from its browser, the backfill listed with its numbers.
  await page.getByRole('link', { name: `Back to ${storeName}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: storeName })).toBeVisible();
  await expect(page.getByText('In use · Idle', { exact: true })).toBeVisible();
  const events = page.getByRole('table', { name: 'Events, newest first' });
  await expect(events.getByRole('rowheader', { name: 'ev-10' })).toBeVisible();
  for (const gone of ['ev-02', 'ev-05', 'ev-09']) await expect(events.getByRole('rowheader', { name: gone })).toHaveCount(0);
  const row = page.getByRole('table', { name: 'Backfills of this store, newest first' }).getByRole('row').filter({ hasText: 'three.csv' });
  await expect(row).toContainText('Completed');
  await expect(row).toContainText(owner.email);
  const [trail] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'Download deleted events of three.csv' }).click()]);
  expect((await readFile((await trail.path())!, 'utf8')).match(/^ev-0[259]/gm)?.sort()).toEqual(['ev-02', 'ev-05', 'ev-09']);

  // Undo, confirmed in a dialog: all three restored, none skipped; they are back in the browser.
  await row.getByRole('button', { name: 'Undo backfill three.csv' }).click();
  const undo = page.getByRole('dialog', { name: 'Undo the backfill of three.csv?' });
  await undo.getByRole('button', { name: 'Restore 3 events' }).click();
  await expect(undo.getByRole('status')).toHaveText('Restored 3 events.');
  await undo.getByRole('button', { name: 'Done' }).click();
  await expect(row).toContainText('Undone');
  for (const back of ['ev-02', 'ev-05', 'ev-09']) await expect(events.getByRole('rowheader', { name: back })).toBeVisible();
  expect(await storedIds()).toEqual(ALL);
  // Both in the audit log, on the store, naming the backfill.
  const audit = await queryDatabase<{ action: string }>(
    `SELECT a.action FROM audit_events a JOIN backfills b ON b.id::text = a.details->>'backfillId'
      WHERE a.target_id = $1 AND b.file_name = 'three.csv' AND a.action LIKE 'backfill.%' ORDER BY a.id`,
    [storeId],
  );
  expect(audit.map((a) => a.action)).toEqual(['backfill.completed', 'backfill.undone']);
});

test('the preview lists the rows that match nothing, with why, and downloads them; nothing is deleted', async ({ page }) => {
  await signIn(page, owner);
  await openUpload(page);
  const file = `id,at\n${eventId(15)},${eventTime(15)}\nnope-1,${eventTime(1)}\n${eventId(16)},${eventTime(1)}\n`;
  await upload(page, 'mixed.csv', Buffer.from(file));
  await expect(page.getByRole('heading', { level: 2, name: '3. Preview' })).toBeFocused();
  await expect(page.locator('.backfill-counts').getByRole('definition')).toHaveText(['3', '1', '2']);
  const unmatched = page.getByRole('table', { name: 'Unmatched rows' });
  await expect(unmatched.getByRole('row', { name: /^3 nope-1 .* no event with this id/ })).toBeVisible();
  await expect(unmatched.getByRole('row', { name: /^4 ev-16 .* the stored event has another event time \(stored: 2026-03-01T15:00:00.000Z\)/ })).toBeVisible();
  await expectAccessible(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download unmatched rows (CSV)' }).click()]);
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
  expect(lines).toHaveLength(3);
  expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['3,nope-1', '4,ev-16']);

  // Back to Upload from the stepper, by keyboard.
  await page.getByRole('navigation', { name: 'Backfill steps' }).getByRole('button', { name: /Upload/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: '2. Upload' })).toBeFocused();
  expect(await storedIds()).toEqual(ALL);
});

test('each bad file is refused with what to fix, and nothing is deleted', async ({ page }) => {
  const rows1001 = Buffer.from(['id,at', ...Array.from({ length: 1001 }, (_, i) => `x-${i},${eventTime(1)}`)].join('\n') + '\n');
  const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01, 0x02]);
  const cases: [name: string, file: Buffer, message: RegExp, line?: number][] = [
    ['big.csv', rows1001, /has 1,001 rows; a backfill takes at most 1,000/],
    ['header.csv', Buffer.from(`event,time\n${eventId(1)},${eventTime(1)}\n`), /header \(line 1\) must name the columns “id” and “at”/],
    ['date.csv', Buffer.from(`id,at\n${eventId(1)},${eventTime(1)}\n${eventId(2)},yesterday\n`), /1 row needs fixing \(line 3\)/, 3],
    ['empty.csv', Buffer.alloc(0), /empty/],
    ['picture.csv', binary, /not a CSV file/],
  ];
  await signIn(page, owner);
  await openUpload(page);
  const refusal = page.getByRole('form', { name: 'Upload the events to delete' }).getByRole('alert');
  for (const [name, file, message, line] of cases) {
    await upload(page, name, file);
    await expect(refusal).toContainText(message);
    await expect(refusal).toContainText(/nothing was deleted/i);
    if (line) await expect(page.getByRole('table', { name: 'Row errors' }).getByRole('row', { name: new RegExp(`^${line} `) })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: '2. Upload' })).toBeVisible();
  }
  expect(await storedIds()).toEqual(ALL);
  const [left] = await queryDatabase<{ n: number }>(`SELECT count(*)::int AS n FROM backfills WHERE store_id = $1 AND file_name = ANY($2)`, [storeId, cases.map(([name]) => name)]);
  expect(left!.n, 'no refused file left a backfill').toBe(0);
});

test('the Backfill button waits while a run writes to the store, naming and linking it, and comes back without a reload', async ({ page }) => {
  await signIn(page, owner);
  await openStore(page);
  const enabled = page.getByRole('link', { name: 'Backfill', exact: true });
  await expect(enabled).toHaveAttribute('href', `/event-stores/${storeId}/backfill`);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  // A run of the store's meter takes the store, as the run worker leaves it: its row, its target and the lease.
  const [held] = await queryDatabase<{ id: string }>(
    `INSERT INTO meter_runs (id, workspace_id, meter_id, meter_version, scope, status, idempotency_key, created_by, started_at, heartbeat_at)
     SELECT gen_random_uuid(), workspace_id, id, 1, '{"kind":"all"}', 'running', 'e2e-hold-' || gen_random_uuid(), 'e2e holder', now(), now() + interval '10 minutes'
       FROM meters WHERE name = $1 RETURNING id`,
    [meterName],
  );
  const leaseOwner = `e2e${held!.id.replaceAll('-', '')}:run ${held!.id.slice(0, 8)} of ${meterName}`;
  await queryDatabase(`INSERT INTO meter_run_targets (run_id, store_id, lease_owner) VALUES ($1, $2, $3)`, [held!.id, storeId, leaseOwner]);
  await queryDatabase(
    `UPDATE event_stores SET activity = 'writing', lease_owner = $2, activity_started_at = now(), lease_expires_at = now() + interval '10 minutes' WHERE id = $1`,
    [storeId, leaseOwner],
  );
  try {
    const waiting = page.getByRole('link', { name: 'Backfill', exact: true });
    await expect(waiting).toBeDisabled();
    await expect(waiting).not.toHaveAttribute('href');
    await expect(page.getByRole('link', { name: 'Open the run' })).toHaveAttribute('href', `/runs/${held!.id}`);
    await expect(page.getByText('In use · Writing', { exact: true })).toBeVisible();
    await waiting.focus();
    await expect(page.getByRole('tooltip')).toContainText(`Backfill waits: the run of “${meterName}” started by e2e holder is writing to this store`);
  } finally {
    await queryDatabase(`UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL, activity_started_at = NULL WHERE id = $1 AND lease_owner = $2`, [storeId, leaseOwner]);
    await queryDatabase(`UPDATE meter_runs SET status = 'completed', finished_at = now() WHERE id = $1`, [held!.id]);
  }
  await expect(enabled).toBeEnabled();
  await expect(enabled).toHaveAttribute('href', `/event-stores/${storeId}/backfill`);
  await expect(page.getByRole('link', { name: 'Open the run' })).toHaveCount(0);
  await expect(page.getByText('In use · Idle', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'no reload').toBe(true);
});

/** A signed-in page of its own (its own browser context), at the Confirm dialog of a backfill of `rows`. */
async function atConfirm(browser: Browser, name: string, rows: number[]) {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, owner);
  await openUpload(page);
  await upload(page, name, csv(...rows));
  await page.getByRole('button', { name: 'Next: confirm' }).click();
  await page.getByRole('button', { name: `Delete ${rows.length} events…` }).click();
  return page.getByRole('dialog', { name: `Delete ${rows.length} events from ${storeName}?` });
}

test('two backfills confirmed at once on one store: one deletes, the other is refused with a message and deletes nothing', async ({ browser }) => {
  const first = await atConfirm(browser, 'first.csv', [11, 12]);
  const second = await atConfirm(browser, 'second.csv', [13, 14]);

  // An ingest batch in flight holds the store row (FOR KEY SHARE), so the first confirm, once it has taken
  // the store (Deleting), waits for it: the two confirms overlap for as long as the test keeps the batch open.
  const batch = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await batch.connect();
  try {
    await batch.query('BEGIN');
    await batch.query(`SELECT 1 FROM event_stores WHERE id = $1 FOR KEY SHARE`, [storeId]);
    await first.getByRole('button', { name: 'Delete 2 events' }).click();
    await expect(first.getByRole('status')).toContainText(`Deleting 2 events from ${storeName}…`);
    await expect.poll(async () => (await queryDatabase<{ activity: string }>(`SELECT activity FROM event_stores WHERE id = $1`, [storeId]))[0]!.activity).toBe('deleting');

    await second.getByRole('button', { name: 'Delete 2 events' }).click();
    const refusal = second.getByRole('alert');
    await expect(refusal).toContainText(`The event store “${storeName}” is busy: a backfill is deleting events from it`);
    await expect(second).toBeVisible();
    expect(await storedIds(), 'nothing is deleted while the first waits').toEqual(ALL);
  } finally {
    await batch.query('COMMIT');
    await batch.end();
  }
  await expect(first.page().getByRole('status').filter({ hasText: `Deleted 2 events from ${storeName}` })).toBeVisible();
  expect(await storedIds()).toEqual(ALL.filter((id) => !['ev-11', 'ev-12'].includes(id)));

  // The refused one can go once the store is free.
  await second.getByRole('button', { name: 'Delete 2 events' }).click();
  await expect(second.page().getByRole('status').filter({ hasText: `Deleted 2 events from ${storeName}` })).toBeVisible();
  expect(await storedIds()).toEqual(ALL.filter((id) => !['ev-11', 'ev-12', 'ev-13', 'ev-14'].includes(id)));
  await Promise.all([first.page().context().close(), second.page().context().close()]);
});
