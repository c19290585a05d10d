import { addUser, expect, queryDatabase, signIn, test } from './fixtures';
import { createMeter, openMeter } from './meter-canvas-helpers';

// "The same counts appear on the canvas's edges": a meter whose latest run is going shows that run's counts
// when the toolbar's toggle says Run, and follows them while the run goes on. The run is written to the
// database as the worker writes it (meter_runs.progress), so the spec does not wait for a worker.

const FIELDS = [
  { name: 'id', type: 'string', required: true },
  { name: 'at', type: 'datetime', required: true },
  { name: 'units', type: 'integer', required: true },
];
const graph = {
  nodes: [
    { id: 'src', kind: 'source.httpIngest', label: 'Intake', position: { x: 0, y: 120 }, config: { fields: FIELDS } },
    { id: 'flt', kind: 'processor.filter', label: 'Big', position: { x: 320, y: 120 }, config: { condition: 'units > 1' } },
    { id: 'hook', kind: 'target.webhook', label: 'Billing', position: { x: 640, y: 120 }, config: { url: 'https://example.com/usage', batchSize: 100 } },
  ],
  edges: [
    { id: 'e1', source: 'src', sourcePort: 'out', target: 'flt', targetPort: 'in' },
    { id: 'e2', source: 'flt', sourcePort: 'out', target: 'hook', targetPort: 'in' },
  ],
};
const counts = (into: number, out: number) => ({
  read: into,
  nodes: {
    src: { in: into, out: into, dropped: 0, rejected: 0 },
    flt: { in: into, out, dropped: into - out, rejected: 0 },
    hook: { in: out, out, dropped: 0, rejected: 0 },
  },
  edges: { e1: into, e2: out },
  targets: {},
  partialWindows: 0,
});

test('the toolbar switches the edges between the preview and the latest run, whose counts follow the run while it goes', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, await addUser('demo:editor'));
  const meterId = await createMeter('demo', undefined, graph);
  const [run] = await queryDatabase<{ id: string }>(
    `INSERT INTO meter_runs (id, workspace_id, meter_id, meter_version, scope, status, idempotency_key, created_by, started_at, progress)
     SELECT gen_random_uuid(), workspace_id, id, 1, '{"kind":"live"}', 'running', gen_random_uuid()::text, 'e2e', now(), $2 FROM meters WHERE id = $1
     RETURNING id`,
    [meterId, JSON.stringify(counts(500, 200))],
  );
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openMeter(page, meterId);

  const toggle = page.getByRole('group', { name: 'Counts on the edges' });
  await expect(toggle.getByRole('button', { name: 'Preview' })).toHaveAttribute('aria-pressed', 'true');
  await toggle.getByRole('button', { name: 'Run running' }).click();
  await expect(toggle.getByRole('button', { name: 'Run running' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('edge-label-e1')).toHaveText('500');
  await expect(page.getByTestId('edge-label-e2')).toHaveText('500 → 200, dropped 300 by Big');

  // The worker writes more and finishes: the canvas follows within its one-second poll.
  await queryDatabase(`UPDATE meter_runs SET progress = $2, status = 'completed', finished_at = now() WHERE id = $1`, [run!.id, JSON.stringify(counts(900, 300))]);
  await expect(page.getByTestId('edge-label-e2')).toHaveText('900 → 300, dropped 600 by Big', { timeout: 10_000 });
  await expect(toggle.getByRole('button', { name: 'Run completed' })).toHaveAttribute('aria-pressed', 'true');

  // Back to the preview: its own counts (the meter's ingest buffer, empty here), no longer the run's.
  await toggle.getByRole('button', { name: 'Preview' }).click();
  await expect(toggle.getByRole('button', { name: 'Preview' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('edge-label-e1')).not.toHaveText('900');
  await expect(page.getByTestId('edge-label-e2')).not.toHaveText(/900 → 300/);
});

test('a meter that never ran offers no run counts', async ({ page }) => {
  await signIn(page, await addUser('demo:editor'));
  await openMeter(page, await createMeter('demo', undefined, graph));
  await expect(page.getByRole('button', { name: 'History' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Counts on the edges' })).toHaveCount(0);
});
