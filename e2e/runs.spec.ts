import { randomUUID } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { addUser, expect, queryDatabase, signIn, test, type TestUser } from './fixtures';

/**
 * Issue 12's acceptance, through the console: the seeded meter "Billable API calls" (api-calls → Filter →
 * Map → billed-requests) replays a time frame picked in the Run dialog; the dry run reports, the run completes
 * on its page, and the target holds exactly the source events of the frame that pass the filter (counted here
 * in SQL); the same scope again leaves the target as it was; a store held by a running run refuses a second run.
 */

test.describe.configure({ mode: 'serial' });

const METER = 'Billable API calls';
const DAY = 86_400_000;
const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);
const utcText = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
const dayLabel = (d: Date) => `${d.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${ordinal(d.getUTCDate())}, ${d.getUTCFullYear()}`;

const STORE_SQL = `SELECT s.id FROM event_stores s JOIN workspaces w ON w.id = s.workspace_id WHERE w.slug = 'demo' AND s.name = $1`;
const storeId = async (name: string) => (await queryDatabase<{ id: string }>(STORE_SQL, [name]))[0]!.id;

/** The frame: the three whole UTC days before the day of the newest source event (the seed's span ends at its start). */
async function chooseFrame() {
  const [row] = await queryDatabase<{ latest: Date }>(`SELECT max(event_time) AS latest FROM events WHERE store_id = $1`, [await storeId('api-calls')]);
  const end = new Date(Math.floor(row!.latest.getTime() / DAY) * DAY);
  return { start: new Date(end.getTime() - 3 * DAY), end };
}

/** Source events of the frame, and those the meter's Filter lets through (units > 0, not a search call). */
async function sourceCounts(frame: { start: Date; end: Date }) {
  const [row] = await queryDatabase<{ inside: number; billable: number }>(
    `SELECT count(*)::int AS inside,
            count(*) FILTER (WHERE (payload->>'units')::numeric > 0 AND payload->>'endpoint' <> '/v1/search')::int AS billable
       FROM events WHERE store_id = $1 AND event_time >= $2 AND event_time < $3`,
    [await storeId('api-calls'), frame.start, frame.end],
  );
  return row!;
}

/** The target's events as one fingerprint (ids, times and payloads), and how many there are. */
async function targetState() {
  const [row] = await queryDatabase<{ count: number; digest: string | null }>(
    `SELECT count(*)::int AS count, md5(string_agg(event_id || '|' || event_time::text || '|' || payload::text, ',' ORDER BY event_id)) AS digest
       FROM events WHERE store_id = $1`,
    [await storeId('billed-requests')],
  );
  return row!;
}

async function openRunDialog(page: Page): Promise<Locator> {
  await page.goto('/meters');
  await page.getByRole('button', { name: `Run ${METER}` }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${METER}` });
  await expect(dialog).toBeVisible();
  return dialog;
}

let owner: TestUser;
let frame: { start: Date; end: Date };

test.beforeAll(async () => {
  owner = await addUser('demo:owner');
  frame = await chooseFrame();
  // The spec's own starting point: an empty target (earlier runs of this spec, or of a person, wrote to it).
  await queryDatabase(`DELETE FROM events WHERE store_id = $1`, [await storeId('billed-requests')]);
});

test('a time frame picked in the Run dialog is estimated, dry-run, run to Completed, and written exactly once', async ({ page }) => {
  test.setTimeout(180_000);
  const expected = await sourceCounts(frame);
  expect(expected.billable, 'the frame holds billable events to replay').toBeGreaterThan(0);
  await signIn(page, owner);
  const dialog = await openRunDialog(page);

  await dialog.getByRole('radio', { name: 'Specify time frame' }).check();
  await dialog.getByLabel('Start (UTC)', { exact: true }).fill(utcText(frame.start));
  // The end from the calendar: it opens on this month; step back to the frame's month, pick the day.
  await dialog.getByRole('button', { name: 'Choose End date' }).click();
  const calendar = page.getByRole('dialog', { name: 'Choose End date' });
  const now = new Date();
  const monthsBack = (now.getUTCFullYear() - frame.end.getUTCFullYear()) * 12 + now.getUTCMonth() - frame.end.getUTCMonth();
  for (let i = 0; i < monthsBack; i++) await calendar.getByRole('button', { name: /previous month/i }).click();
  await calendar.getByRole('button', { name: new RegExp(dayLabel(frame.end)) }).click();
  await expect(dialog.getByLabel('End (UTC)', { exact: true })).toHaveValue(utcText(frame.end));
  await expect(dialog.getByText(/The source store's events run from/)).toBeVisible();
  await expect(dialog.getByTestId('run-estimate')).toContainText(`Estimate: ${fmt(expected.inside)} events`);

  await dialog.getByRole('button', { name: 'Dry run' }).click();
  const report = dialog.getByRole('table', { name: 'What a run would write' });
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(report).toContainText(fmt(expected.billable));
  expect((await targetState()).count, 'a dry run writes nothing').toBe(0);

  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: `Run of ${METER}` })).toBeVisible();
  await expect(page.getByTestId('run-status')).toContainText('Completed', { timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'Events per node' })).toContainText(fmt(expected.inside));
  await expect(page.getByRole('table', { name: 'Events per target' })).toContainText(fmt(expected.billable));

  const first = await targetState();
  expect(first.count).toBe(expected.billable);
  const [mismatch] = await queryDatabase<{ missing: number; extra: number }>(
    `WITH source AS (SELECT event_id FROM events WHERE store_id = $1 AND event_time >= $3 AND event_time < $4
                       AND (payload->>'units')::numeric > 0 AND payload->>'endpoint' <> '/v1/search'),
          target AS (SELECT event_id FROM events WHERE store_id = $2)
     SELECT (SELECT count(*) FROM (SELECT * FROM source EXCEPT SELECT * FROM target) m)::int AS missing,
            (SELECT count(*) FROM (SELECT * FROM target EXCEPT SELECT * FROM source) e)::int AS extra`,
    [await storeId('api-calls'), await storeId('billed-requests'), frame.start, frame.end],
  );
  expect(mismatch).toEqual({ missing: 0, extra: 0 });

  // The same scope again (typed this time): the target's count and contents stay exactly as they were.
  const again = await openRunDialog(page);
  await again.getByRole('radio', { name: 'Specify time frame' }).check();
  await again.getByLabel('Start (UTC)', { exact: true }).fill(utcText(frame.start));
  await again.getByLabel('End (UTC)', { exact: true }).fill(utcText(frame.end));
  await expect(again.getByTestId('run-estimate')).toContainText(`Estimate: ${fmt(expected.inside)} events`);
  await again.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-status')).toContainText('Completed', { timeout: 120_000 });
  expect(await targetState()).toEqual(first);

  // Both runs are in the history, newest first.
  await page.goto('/runs');
  await expect(page.getByRole('table', { name: 'Runs in this workspace, newest first' }).getByRole('row').filter({ hasText: METER })).not.toHaveCount(0);
});

test('a run is refused in the dialog while another run writes to its target, naming that run; nothing is started', async ({ page }) => {
  const target = await storeId('billed-requests');
  // Another meter's run holds the store, as the run action leaves one: its row, its target and the store's lease.
  // (Another meter: a second run of the same meter is refused earlier, as "already running".)
  const holder = `e2e store holder ${randomUUID().slice(0, 8)}`;
  const [meter] = await queryDatabase<{ id: string }>(
    `INSERT INTO meters (id, workspace_id, name, created_by, updated_by) SELECT gen_random_uuid(), id, $1, 'e2e', 'e2e' FROM workspaces WHERE slug = 'demo' RETURNING id`,
    [holder],
  );
  const [held] = await queryDatabase<{ id: string }>(
    `INSERT INTO meter_runs (id, workspace_id, meter_id, meter_version, scope, status, idempotency_key, created_by, started_at, heartbeat_at)
     SELECT gen_random_uuid(), workspace_id, id, 1, '{"kind":"all"}', 'running', 'e2e-hold-' || gen_random_uuid(), 'e2e holder', now(), now() + interval '10 minutes'
       FROM meters WHERE id = $1
     RETURNING id`,
    [meter!.id],
  );
  const leaseOwner = `e2e${held!.id.replaceAll('-', '')}:run ${held!.id.slice(0, 8)} of ${holder}`;
  await queryDatabase(`INSERT INTO meter_run_targets (run_id, store_id, lease_owner) VALUES ($1, $2, $3)`, [held!.id, target, leaseOwner]);
  await queryDatabase(
    `UPDATE event_stores SET activity = 'writing', lease_owner = $2, activity_started_at = now(), lease_expires_at = now() + interval '10 minutes' WHERE id = $1`,
    [target, leaseOwner],
  );
  try {
    const runsNow = async () => (await queryDatabase<{ runs: number }>(`SELECT count(*)::int AS runs FROM meter_runs`))[0]!.runs;
    const before = await runsNow();
    await signIn(page, owner);
    const dialog = await openRunDialog(page);
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    const refusal = dialog.getByRole('alert');
    await expect(refusal).toContainText('billed-requests');
    await expect(refusal).toContainText(holder);
    await expect(dialog).toBeVisible();
    expect(await runsNow(), 'nothing was started').toBe(before);
  } finally {
    await queryDatabase(`UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL, activity_started_at = NULL WHERE id = $1 AND lease_owner = $2`, [target, leaseOwner]);
    await queryDatabase(`DELETE FROM meters WHERE id = $1`, [meter!.id]);
  }
});

/** A workspace of its own with a store and two saved meters copying into it: one from a file, one from HTTP ingest. */
async function fileAndLiveMeters(slug: string) {
  const fields = [
    { name: 'id', type: 'string', required: true, description: '' },
    { name: 'at', type: 'datetime', required: true, description: '' },
  ];
  const [store] = await queryDatabase<{ id: string; workspace_id: string }>(
    `WITH d AS (INSERT INTO event_definitions (id, workspace_id, name, fields, event_id_field, event_time_field, updated_at)
                SELECT gen_random_uuid(), id, 'Copy', $2::jsonb, 'id', 'at', now() FROM workspaces WHERE slug = $1 RETURNING id, workspace_id)
     INSERT INTO event_stores (id, workspace_id, definition_id, name) SELECT gen_random_uuid(), workspace_id, id, 'copies' FROM d RETURNING id, workspace_id`,
    [slug, JSON.stringify(fields)],
  );
  const graph = (source: { kind: string; config: unknown }) => ({
    nodes: [
      { id: 'src', kind: source.kind, label: '', position: { x: 0, y: 0 }, config: source.config },
      { id: 'dst', kind: 'target.eventStore', label: '', position: { x: 300, y: 0 }, config: { storeId: store!.id, mapping: { id: 'id', at: 'at' } } },
    ],
    edges: [{ id: 'src-dst', source: 'src', sourcePort: 'out', target: 'dst', targetPort: 'in' }],
  });
  const flow = fields.map(({ name, type, required }) => ({ name, type, required }));
  const meters = { file: graph({ kind: 'source.fileUpload', config: { fileName: 'calls.ndjson', format: 'ndjson', fields: flow } }), live: graph({ kind: 'source.httpIngest', config: { fields: flow } }) };
  for (const [name, g] of [['Copy file', meters.file], ['Copy live', meters.live]] as const) {
    await queryDatabase(
      `WITH m AS (INSERT INTO meters (id, workspace_id, name, version, created_by, updated_by) VALUES (gen_random_uuid(), $1, $2, 1, 'e2e', 'e2e') RETURNING id),
            v AS (INSERT INTO meter_versions (id, meter_id, version, graph, created_by) SELECT gen_random_uuid(), id, 1, $3::jsonb, 'e2e' FROM m)
       INSERT INTO meter_stores (meter_id, store_id, role) SELECT id, $4, 'target' FROM m`,
      [store!.workspace_id, name, JSON.stringify(g), store!.id],
    );
  }
  return store!.id;
}

test('a File meter runs on the file chosen in the dialog; an HTTP-ingest meter is started and stopped', async ({ page }) => {
  test.setTimeout(120_000);
  const slug = `e2e-run-kinds-${randomUUID().slice(0, 8)}`;
  const user = await addUser(`${slug}:owner`);
  const storeOf = await fileAndLiveMeters(slug);
  await signIn(page, user);

  await page.goto('/meters');
  await page.getByRole('button', { name: 'Run Copy file' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run Copy file' });
  await dialog.getByLabel('File', { exact: true }).setInputFiles({
    name: 'calls.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(['a', 'b', 'c'].map((id, i) => JSON.stringify({ id, at: `2026-11-0${i + 1}T00:00:00Z` })).join('\n')),
  });
  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-status')).toContainText('Completed', { timeout: 60_000 });
  await expect(page.getByText('File calls.ndjson')).toBeVisible();
  const [{ count }] = (await queryDatabase<{ count: number }>(`SELECT count(*)::int AS count FROM events WHERE store_id = $1`, [storeOf])) as [{ count: number }];
  expect(count).toBe(3);

  await page.goto('/meters');
  await page.getByRole('button', { name: 'Run Copy live' }).click();
  const live = page.getByRole('dialog', { name: 'Run Copy live' });
  await expect(live.getByText(/^Stopped\./)).toBeVisible();
  await live.getByRole('button', { name: 'Start' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-status')).toContainText('Running', { timeout: 60_000 });
  const runUrl = page.url();
  await page.goto('/meters');
  await page.getByRole('button', { name: 'Run Copy live' }).click();
  await expect(live.getByText(/^Started/)).toBeVisible();
  await live.getByRole('button', { name: 'Stop' }).click();
  await expect(live.getByText(/^Stopped\./)).toBeVisible();
  await page.goto(runUrl);
  await expect(page.getByTestId('run-status')).toContainText('Completed', { timeout: 60_000 });

  // Started again, and stopped from its run page this time (a confirmed step).
  await page.goto('/meters');
  await page.getByRole('button', { name: 'Run Copy live' }).click();
  await live.getByRole('button', { name: 'Start' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toBe(runUrl);
  await expect(page.getByTestId('run-status')).toContainText('Running', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop run' }).click();
  await page.getByRole('button', { name: 'Confirm stop' }).click();
  await expect(page.getByTestId('run-status')).toContainText('Completed', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Stop run' })).toHaveCount(0);
});

test('the runs list pages with Load more, and a meter has its own history', async ({ page }) => {
  const slug = `e2e-run-pages-${randomUUID().slice(0, 8)}`;
  const user = await addUser(`${slug}:viewer`);
  const [meter] = await queryDatabase<{ id: string }>(
    `WITH m AS (INSERT INTO meters (id, workspace_id, name, version, created_by, updated_by) SELECT gen_random_uuid(), id, 'Paged', 1, 'e2e', 'e2e' FROM workspaces WHERE slug = $1 RETURNING id, workspace_id),
          -- Dry runs: the installation's measured rate (real runs only) stays what real runs measured.
          r AS (INSERT INTO meter_runs (id, workspace_id, meter_id, meter_version, scope, dry_run, status, idempotency_key, created_by, created_at, started_at, finished_at, progress)
                SELECT gen_random_uuid(), workspace_id, id, 1, '{"kind":"all"}', true, 'completed', 'e2e-page-' || i, 'e2e', now() - make_interval(mins => i), now() - make_interval(mins => i), now() - make_interval(mins => i) + interval '3 seconds', jsonb_build_object('read', i)
                  FROM m, generate_series(1, 60) AS i)
     SELECT id FROM m`,
    [slug],
  );
  await signIn(page, user);
  await page.goto('/runs');
  const table = page.getByRole('table', { name: 'Runs in this workspace, newest first' });
  await expect(table.getByRole('row')).toHaveCount(51);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(table.getByRole('row')).toHaveCount(61);
  await expect(page.getByText('That is every run.')).toBeVisible();
  await expect(table.getByRole('row').last()).toContainText('60');

  await page.goto(`/meters/${meter!.id}/runs`);
  await expect(page.getByRole('heading', { level: 1, name: 'Runs of Paged' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Runs of Paged, newest first' }).getByRole('row')).toHaveCount(51);
  await expect(page.getByRole('button', { name: 'Load more' })).toBeVisible();
});
