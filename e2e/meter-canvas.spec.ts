import AxeBuilder from '@axe-core/playwright';
import { addUser, expect, signIn, test, uniqueSlug } from './fixtures';
import {
  applySettings,
  startChainMeter,
  canvas,
  canvasEdges,
  canvasNodes,
  createApiCallStore,
  createMeter,
  openMeter,
  storeId,
  versionsOf,
} from './meter-canvas-helpers';

// The demo workspace has api-calls (60,000 API Call events); each test adds its own target store and meter.
const API_CALL_FIELDS = ['requestId', 'occurredAt', 'customerId', 'endpoint', 'region', 'units', 'latencyMs'];
const mappedByName = Object.fromEntries(API_CALL_FIELDS.map((f) => [f, f]));

test('build Event Store → Filter → Map → Event Store by drag and drop, preview, save, reload unchanged, undo and redo a deletion', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, await addUser('demo:editor'));
  // Dropped down a diagonal so none lands on another, connected, then laid out left to right.
  const { target, meterId, nodes: [source, filter, map, sink] } = await startChainMeter(page, 'e2e-daily');

  await applySettings(page, source!, { storeId: await storeId('demo', 'api-calls') });
  await applySettings(page, filter!, { condition: 'units > 5' });
  await applySettings(page, map!, { keep: 'all', fields: [], drop: [], rename: [] });
  await applySettings(page, sink!, { storeId: await storeId('demo', target), mapping: mappedByName });
  await expect(page.getByRole('region', { name: 'Problems' }).getByRole('status')).toHaveText('No problems');

  // The preview labels the edges: 1,000 sample events into the Filter, fewer out of it.
  const labels = page.locator('[data-testid^="edge-label-"]');
  await expect(labels.filter({ hasText: /^1,000$/ })).toHaveCount(1, { timeout: 30_000 });
  await expect(labels.filter({ hasText: /^1,000 → [\d,]+, dropped [\d,]+ by Filter$/ })).toHaveCount(1);

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved version 1.')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('Version 1');
  expect(await versionsOf(meterId)).toBe(1);

  await page.reload();
  await expect(canvasNodes(page)).toHaveCount(4);
  await expect(canvasEdges(page)).toHaveCount(3);
  await canvasNodes(page).nth(1).click();
  await page.getByText('Settings as JSON', { exact: true }).click();
  await expect(page.getByLabel('Settings (JSON)')).toHaveValue(/units > 5/);

  // Undo and redo a deletion (keys), then the toolbar's buttons.
  await canvasNodes(page).nth(2).click();
  await page.keyboard.press('Delete');
  await expect(canvasNodes(page)).toHaveCount(3);
  await expect(canvasEdges(page)).toHaveCount(1);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(canvasNodes(page)).toHaveCount(4);
  await expect(canvasEdges(page)).toHaveCount(3);
  await page.keyboard.press('ControlOrMeta+Shift+Z');
  await expect(canvasNodes(page)).toHaveCount(3);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(canvasNodes(page)).toHaveCount(4);
  await expect(page.getByTestId('save-state')).toHaveText('Version 1');
});

test('the source store chosen again as the target, or one store as two targets: the nodes are marked and Save is refused', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, await addUser('demo:editor'));
  const apiCalls = await storeId('demo', 'api-calls');
  const node = (id: string, kind: string, x: number, config: unknown) => ({ id, kind, label: '', position: { x, y: 100 }, config });
  const edge = (id: string, source: string, target: string) => ({ id, source, sourcePort: 'out', target, targetPort: 'in' });
  const meterId = await createMeter('demo', undefined, {
    nodes: [node('src', 'source.eventStore', 0, { storeId: apiCalls }), node('dst', 'target.eventStore', 400, { storeId: apiCalls, mapping: mappedByName })],
    edges: [edge('e1', 'src', 'dst')],
  });
  await openMeter(page, meterId);
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems.getByRole('button').filter({ hasText: /both a source and a target|source and target/i })).toBeVisible();
  await expect(canvasNodes(page).locator('[data-testid="node-problem-badge"]')).toHaveCount(2);

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/was not saved/)).toBeVisible();
  expect(await versionsOf(meterId)).toBe(1);

  // One store as two targets: a second target on another store, then pointed at the first's store.
  const other = uniqueSlug('e2e-twice');
  await createApiCallStore(page, other);
  const otherId = await storeId('demo', other);
  const twice = await createMeter('demo', undefined, {
    nodes: [
      node('src', 'source.eventStore', 0, { storeId: apiCalls }),
      node('a', 'target.eventStore', 400, { storeId: otherId, mapping: mappedByName }),
      node('b', 'target.eventStore', 400, { storeId: otherId, mapping: mappedByName }),
    ],
    edges: [edge('e1', 'src', 'a'), edge('e2', 'src', 'b')],
  });
  await openMeter(page, twice);
  await expect(problems.getByRole('button').filter({ hasText: /more than one target|two targets|twice/i })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/was not saved/)).toBeVisible();
  expect(await versionsOf(twice)).toBe(1);
});

test('keyboard only: quick-add, connect from the panel, move with the arrows, delete', async ({ page }) => {
  await signIn(page, await addUser('demo:editor'));
  const meterId = await createMeter('demo');
  await openMeter(page, meterId);

  // Tab on the canvas opens the quick-add; type, Enter.
  const frame = page.getByRole('group', { name: 'Meter canvas' });
  await frame.focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: 'Search node kinds' })).toBeFocused();
  await page.keyboard.type('http');
  await page.keyboard.press('Enter');
  await expect(canvasNodes(page)).toHaveCount(1);

  // "/" from anywhere outside a field; a node added while another is selected follows it, connected.
  await page.keyboard.press('/');
  await page.keyboard.type('webhook');
  await page.keyboard.press('Enter');
  await expect(canvasNodes(page)).toHaveCount(2);
  await expect(canvasEdges(page)).toHaveCount(1);

  // After a target nothing follows: the Filter comes unconnected, and is connected from its panel.
  await page.keyboard.press('/');
  await page.keyboard.type('filt');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(canvasNodes(page)).toHaveCount(3);
  await expect(canvasEdges(page)).toHaveCount(1);
  await page.getByRole('combobox', { name: 'Connect Filter to…' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('option', { name: 'Webhook (Webhook)' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(canvasEdges(page)).toHaveCount(2);

  // Arrows move the selection (Shift: a larger step); Delete removes it; Ctrl+Z brings it back.
  const selected = page.locator('.react-flow__node.selected');
  await expect(selected).toHaveCount(1);
  const before = (await selected.boundingBox())!;
  await frame.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await expect.poll(async () => (await selected.boundingBox())!.x).toBeGreaterThan(before.x);
  await page.keyboard.press('Delete');
  await expect(canvasNodes(page)).toHaveCount(2);
  await expect(canvasEdges(page)).toHaveCount(1);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(canvasNodes(page)).toHaveCount(3);
  await expect(canvasEdges(page)).toHaveCount(2);

  // No serious or critical axe-core violations on the editor with nodes, a selection and problems.
  const { violations } = await new AxeBuilder({ page }).include('main').analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await expect(canvas(page)).toBeVisible();
});

test('zoomed far out, nodes are drawn simplified (no details, no handles) and come back whole when zoomed in', async ({ page }) => {
  await signIn(page, await addUser('demo:editor'));
  const filter = (id: string, x: number) => ({ id, kind: 'processor.filter', label: '', position: { x, y: 100 }, config: { condition: 'units > 1' } });
  const meterId = await createMeter('demo', undefined, { nodes: [filter('near', 0), filter('far', 8000)], edges: [] });
  await openMeter(page, meterId);
  const node = canvasNodes(page).first();

  await page.getByRole('button', { name: 'Fit view', exact: true }).click();
  await expect(canvas(page)).toHaveAttribute('data-zoomed-out', 'true');
  await expect(node.getByText('units > 1')).toBeHidden();
  await expect(node.locator('.react-flow__handle')).toHaveCount(2);
  for (const handle of await node.locator('.react-flow__handle').all()) await expect(handle).toBeHidden();

  for (let i = 0; i < 20 && (await canvas(page).getAttribute('data-zoomed-out')) === 'true'; i++) {
    await page.getByRole('button', { name: 'Zoom In' }).click();
  }
  await expect(canvas(page)).not.toHaveAttribute('data-zoomed-out', 'true');
  await expect(node.getByText('units > 1')).toBeVisible();
  for (const handle of await node.locator('.react-flow__handle').all()) await expect(handle).toBeVisible();
});
