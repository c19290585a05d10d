import { randomUUID } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { expect, queryDatabase, uniqueSlug } from './fixtures';

/** A new, empty meter in the workspace `slug`, made in the database (the list page's form is another spec's). */
export async function createMeter(slug: string, name = `e2e-meter-${randomUUID().slice(0, 8)}`, graph?: unknown): Promise<string> {
  const [row] = await queryDatabase<{ id: string }>(
    `INSERT INTO meters (id, workspace_id, name, version, created_by, updated_by)
     SELECT gen_random_uuid(), id, $2, $3, 'e2e', 'e2e' FROM workspaces WHERE slug = $1 RETURNING id`,
    [slug, name, graph ? 1 : 0],
  );
  if (!row) throw new Error(`No workspace ${slug}.`);
  if (graph) {
    await queryDatabase(`INSERT INTO meter_versions (id, meter_id, version, graph, created_by) VALUES (gen_random_uuid(), $1, 1, $2, 'e2e')`, [row.id, JSON.stringify(graph)]);
  }
  return row.id;
}

export async function storeId(slug: string, name: string): Promise<string> {
  const [row] = await queryDatabase<{ id: string }>(
    'SELECT s.id FROM event_stores s JOIN workspaces w ON w.id = s.workspace_id WHERE w.slug = $1 AND s.name = $2',
    [slug, name],
  );
  if (!row) throw new Error(`No store ${name} in ${slug}.`);
  return row.id;
}

export const versionsOf = async (meterId: string) =>
  (await queryDatabase<{ n: number }>('SELECT count(*)::int AS n FROM meter_versions WHERE meter_id = $1', [meterId]))[0]!.n;

/** An event store of the API Call definition, made through the stores page. */
export async function createApiCallStore(page: Page, name: string) {
  await page.goto('/event-stores');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Event definition').selectOption({ label: 'API Call' });
  await page.getByRole('button', { name: 'Create store' }).click();
  await expect(page.getByRole('rowheader', { name })).toBeVisible();
}

export const canvas = (page: Page) => page.getByTestId('meter-canvas');
export const canvasNodes = (page: Page) => page.locator('.react-flow__node');
export const canvasEdges = (page: Page) => page.locator('.react-flow__edge');

export async function openMeter(page: Page, meterId: string) {
  await page.goto(`/meters/${meterId}`);
  await expect(page.getByRole('toolbar', { name: 'Meter editor' })).toBeVisible();
}

/** Drags a palette entry onto the canvas at (x, y) in the canvas's own pixels (HTML5 drag and drop). */
export async function dragFromPalette(page: Page, kindLabel: string, x: number, y: number) {
  const before = await canvasNodes(page).count();
  await page.getByRole('button', { name: `Add ${kindLabel}`, exact: true }).dragTo(canvas(page), { targetPosition: { x, y } });
  await expect(canvasNodes(page)).toHaveCount(before + 1);
}

/**
 * Drops `kinds` from the palette down a diagonal of the canvas (so none lands on another), connects each to
 * the next with the mouse, and returns the nodes in order. Wants a roomy viewport (1600x1000).
 */
export async function buildChainByDragAndDrop(page: Page, kinds: string[]): Promise<Locator[]> {
  const box = (await canvas(page).boundingBox())!;
  const step = 0.7 / Math.max(1, kinds.length - 1);
  for (const [i, kind] of kinds.entries()) await dragFromPalette(page, kind, box.width * (0.15 + step * i), box.height * (0.15 + step * i));
  const nodes = kinds.map((_, i) => canvasNodes(page).nth(i));
  for (let i = 0; i + 1 < nodes.length; i++) await connectByMouse(page, nodes[i]!, nodes[i + 1]!);
  await expect(canvasEdges(page)).toHaveCount(kinds.length - 1);
  return nodes;
}

/** Draws a connection from one node's output handle to another's input handle with the mouse. */
export async function connectByMouse(page: Page, from: Locator, to: Locator) {
  const out = await from.locator('.react-flow__handle.source').boundingBox();
  const into = await to.locator('.react-flow__handle.target').boundingBox();
  if (!out || !into) throw new Error('A handle is not on screen.');
  await page.mouse.move(out.x + out.width / 2, out.y + out.height / 2);
  await page.mouse.down();
  await page.mouse.move(into.x + into.width / 2, into.y + into.height / 2, { steps: 10 });
  await page.mouse.up();
}

/** Types a node's settings as JSON in the side panel ("Settings as JSON", folded below the kind's panel). */
export async function applySettings(page: Page, node: Locator, settings: unknown) {
  await node.click();
  const field = page.getByLabel('Settings (JSON)');
  if (!(await field.isVisible())) await page.getByText('Settings as JSON', { exact: true }).click();
  await field.fill(JSON.stringify(settings));
  await page.getByRole('button', { name: 'Apply settings' }).click();
}

/**
 * The start of a build-by-hand test: a new target store named `<targetPrefix>-…` and an empty meter in the
 * demo workspace, the meter open on a roomy viewport, Event Store → Filter → Map → Event Store dropped,
 * connected and laid out. Returns the target's name and the four nodes in order.
 */
export async function startChainMeter(page: Page, targetPrefix: string) {
  const target = uniqueSlug(targetPrefix);
  await createApiCallStore(page, target);
  const meterId = await createMeter('demo');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openMeter(page, meterId);
  const nodes = await buildChainByDragAndDrop(page, ['Event Store source', 'Filter', 'Map', 'Event Store target']);
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  return { target, meterId, nodes };
}
