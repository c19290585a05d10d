import type { Page } from '@playwright/test';
import { addUser, expect, queryDatabase, signIn, test } from './fixtures';
import { canvas, canvasEdges, canvasNodes, createMeter, openMeter, versionsOf } from './meter-canvas-helpers';

// Copy and paste, the version history (diff and restore) and a stale save, on meters made in the database:
// HTTP ingest → Filter → Webhook, a chain that saves without a store.

const FIELDS = [
  { name: 'id', type: 'string', required: true },
  { name: 'at', type: 'datetime', required: true },
  { name: 'units', type: 'integer', required: true },
];
const node = (id: string, kind: string, label: string, x: number, config: unknown) => ({ id, kind, label, position: { x, y: 120 }, config });
const edge = (id: string, source: string, target: string) => ({ id, source, sourcePort: 'out', target, targetPort: 'in' });
const chain = () => ({
  nodes: [
    node('src', 'source.httpIngest', 'Intake', 0, { fields: FIELDS }),
    node('flt', 'processor.filter', 'Big', 320, { condition: 'units > 1' }),
    node('hook', 'target.webhook', 'Billing', 640, { url: 'https://example.com/usage', batchSize: 100 }),
  ],
  edges: [edge('e1', 'src', 'flt'), edge('e2', 'flt', 'hook')],
});

/** Where a node stands on the canvas, in flow coordinates (React Flow's translate on the node). */
async function positionOf(page: Page, id: string) {
  const transform = await page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((el) => (el as HTMLElement).style.transform);
  const [, x, y] = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(transform) ?? [];
  return { x: Number(x), y: Number(y) };
}

const nodeIds = (page: Page) => canvasNodes(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-id')!));
const savedGraph = async (meterId: string, version: number) =>
  (await queryDatabase<{ graph: ReturnType<typeof chain> }>('SELECT graph FROM meter_versions WHERE meter_id = $1 AND version = $2', [meterId, version]))[0]!.graph;

test('copy and paste: the copies get new ids, sit offset from the originals, and keep only the edges between copied nodes', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  const meterId = await createMeter('demo', undefined, chain());
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openMeter(page, meterId);
  await expect(canvasNodes(page)).toHaveCount(3);

  // Filter and Webhook selected (click, then Ctrl/Cmd+click), copied and pasted: the Intake → Big edge stays behind.
  await page.locator('.react-flow__node[data-id="flt"]').click();
  await page.locator('.react-flow__node[data-id="hook"]').click({ modifiers: ['ControlOrMeta'] });
  await expect(page.getByRole('complementary', { name: 'Selected node' })).toContainText('2 nodes');
  await page.keyboard.press('ControlOrMeta+C');
  await page.keyboard.press('ControlOrMeta+V');
  await expect(canvasNodes(page)).toHaveCount(5);
  await expect(canvasEdges(page)).toHaveCount(3);

  const pasted = (await nodeIds(page)).filter((id) => !['src', 'flt', 'hook'].includes(id));
  expect(pasted).toHaveLength(2);
  const [copyOfFilter, copyOfHook] = pasted as [string, string];
  expect(await page.locator(`.react-flow__node[data-id="${copyOfFilter}"]`).getAttribute('aria-label')).toMatch(/^Big \(Filter\)/);
  expect(await page.locator(`.react-flow__node[data-id="${copyOfHook}"]`).getAttribute('aria-label')).toMatch(/^Billing \(Webhook\)/);
  const [original, copy] = [await positionOf(page, 'flt'), await positionOf(page, copyOfFilter)];
  expect(copy.x - original.x).toBeGreaterThan(0);
  expect(copy.x - original.x).toBe(copy.y - original.y);
  // The one new edge joins the two copies; no edge reaches a copy from the Intake.
  await expect(page.locator('[aria-label="Connection from Big to Billing"]')).toHaveCount(2);
  await expect(page.locator('[aria-label="Connection from Intake to Big"]')).toHaveCount(1);

  // A second paste moves further on; undo removes the paste in one step.
  await page.keyboard.press('ControlOrMeta+V');
  await expect(canvasNodes(page)).toHaveCount(7);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(canvasNodes(page)).toHaveCount(5);

  // Saved, the copies are in the graph under their new ids, with the edge between them.
  await page.keyboard.press('ControlOrMeta+Z');
  await canvas(page).click({ position: { x: 20, y: 20 } });
  await page.getByRole('group', { name: 'Meter canvas' }).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+C');
  await page.keyboard.press('ControlOrMeta+V');
  await expect(canvasNodes(page)).toHaveCount(6);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved version 2.')).toBeVisible();
  const graph = await savedGraph(meterId, 2);
  expect(new Set(graph.nodes.map((n) => n.id)).size).toBe(6);
  const copies = graph.nodes.filter((n) => !['src', 'flt', 'hook'].includes(n.id));
  const byKind = (kind: string) => copies.find((n) => n.kind === kind)!;
  expect(graph.edges).toHaveLength(4);
  expect(graph.edges.some((e) => e.source === byKind('source.httpIngest').id && e.target === byKind('processor.filter').id)).toBe(true);
  expect(graph.edges.some((e) => e.source === byKind('processor.filter').id && e.target === byKind('target.webhook').id)).toBe(true);
  expect(byKind('processor.filter').position.x - 320).toBe(byKind('processor.filter').position.y - 120);
});

test('history: a structural diff between two versions, and restore brings version 1 back as a new version, audited', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  const meterId = await createMeter('demo', undefined, chain());
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openMeter(page, meterId);

  // Version 2: the Filter removed, Intake connected straight to the Webhook (from the side panel), the Webhook renamed.
  await page.locator('.react-flow__node[data-id="flt"]').click();
  await page.keyboard.press('Delete');
  await expect(canvasNodes(page)).toHaveCount(2);
  await page.locator('.react-flow__node[data-id="src"]').click();
  await page.getByRole('combobox', { name: 'Connect Intake to…' }).click();
  await page.getByRole('option', { name: 'Billing (Webhook)' }).click();
  await expect(canvasEdges(page)).toHaveCount(1);
  await page.locator('.react-flow__node[data-id="hook"]').click();
  await page.getByRole('complementary', { name: 'Billing settings' }).getByLabel('Name', { exact: true }).fill('Invoices');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved version 2.')).toBeVisible();

  await page.getByRole('button', { name: 'History' }).click();
  const drawer = page.getByRole('dialog', { name: 'Version history' });
  await expect(drawer.getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(2);
  const diff = drawer.getByRole('list', { name: 'Differences' });
  await expect(diff).toContainText('Removed Big');
  await expect(diff).toContainText('Changed Invoices: label');
  await expect(diff).toContainText('Connected Intake → Invoices');
  await expect(diff).toContainText('Disconnected Intake → Big');

  await drawer.getByRole('button', { name: 'Restore version 1' }).click();
  await expect(page.getByText('Restored version 1 as version 3.')).toBeVisible();
  await expect(drawer).toBeHidden();
  await expect(canvasNodes(page)).toHaveCount(3);
  await expect(canvasEdges(page)).toHaveCount(2);
  await expect(page.getByTestId('save-state')).toHaveText('Version 3');
  expect(await versionsOf(meterId)).toBe(3);
  expect((await savedGraph(meterId, 3)).nodes.find((n) => n.id === 'flt')!.config).toEqual({ condition: 'units > 1' });
  const audits = await queryDatabase<{ action: string }>("SELECT action FROM audit_events WHERE target_id = $1 AND action = 'meter.restored'", [meterId]);
  expect(audits).toHaveLength(1);

  // The history now lists three versions, 3 current.
  await page.getByRole('button', { name: 'History' }).click();
  await expect(drawer.getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(3);
  await expect(drawer.getByRole('listitem').filter({ hasText: 'Version 3' })).toContainText('current');
});

test('stale save: two tabs edit one meter; the second save is refused with who saved what, and Reload brings the newer version', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  const meterId = await createMeter('demo', undefined, chain());
  const other = await page.context().newPage();
  for (const tab of [page, other]) {
    await tab.setViewportSize({ width: 1600, height: 1000 });
    await openMeter(tab, meterId);
    await expect(tab.getByTestId('save-state')).toHaveText('Version 1');
  }

  const rename = async (tab: Page, label: string) => {
    await tab.locator('.react-flow__node[data-id="flt"]').click();
    await tab.getByRole('complementary', { name: /settings$/ }).getByLabel('Name', { exact: true }).fill(label);
  };
  await rename(other, 'Saved first');
  await other.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(other.getByText('Saved version 2.')).toBeVisible();

  await rename(page, 'Saved second');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const reload = page.getByRole('button', { name: 'Reload the meter (discards your changes)' });
  const conflict = page.getByRole('alert').filter({ has: reload });
  await expect(conflict).toContainText('after the version 1 you started from');
  await expect(conflict).toContainText('saved version 2 of');
  expect(await versionsOf(meterId)).toBe(2);

  await reload.click();
  await expect(page.getByTestId('save-state')).toHaveText('Version 2');
  await expect(page.locator('.react-flow__node[data-id="flt"]')).toHaveAttribute('aria-label', /^Saved first \(Filter\)/);
});
