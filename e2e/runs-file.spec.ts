import { randomUUID } from 'node:crypto';
import { addUser, expect, queryDatabase, signIn, test } from './fixtures';

/**
 * A File-upload meter run from the Run dialog with a file larger than a server action's 1 MB body limit: the
 * dialog posts it to POST /api/v1/runs (multipart, the session's cookie), the run completes, and the target
 * holds exactly the file's records.
 */

const RECORDS = 12_000;
const FIELDS = [
  { name: 'requestId', type: 'string', required: true },
  { name: 'occurredAt', type: 'datetime', required: true },
  { name: 'customerId', type: 'string', required: true },
  { name: 'endpoint', type: 'string', required: true },
  { name: 'units', type: 'integer', required: true },
];

/** A meter File upload → Event Store (a new store of the demo's "Billed Request" definition), saved as version 1. */
async function makeFileMeter(name: string, targetStoreId: string) {
  const node = (id: string, kind: string, x: number, config: unknown) => ({ id, kind, label: '', position: { x, y: 0 }, config });
  const graph = {
    nodes: [
      node('file', 'source.fileUpload', 0, { fileName: 'calls.ndjson', format: 'ndjson', fields: FIELDS }),
      node('target', 'target.eventStore', 300, { storeId: targetStoreId, mapping: Object.fromEntries(FIELDS.map((f) => [f.name, f.name])) }),
    ],
    edges: [{ id: 'file-target', source: 'file', sourcePort: 'out', target: 'target', targetPort: 'in' }],
  };
  const [meter] = await queryDatabase<{ id: string }>(
    `INSERT INTO meters (id, workspace_id, name, version, created_by, updated_by) SELECT gen_random_uuid(), id, $1, 1, 'e2e', 'e2e' FROM workspaces WHERE slug = 'demo' RETURNING id`,
    [name],
  );
  await queryDatabase(`INSERT INTO meter_versions (id, meter_id, version, graph, created_by) VALUES (gen_random_uuid(), $1, 1, $2::jsonb, 'e2e')`, [meter!.id, JSON.stringify(graph)]);
  await queryDatabase(`INSERT INTO meter_stores (meter_id, store_id, role) VALUES ($1, $2, 'target')`, [meter!.id, targetStoreId]);
}

test('a File meter runs from the dialog on a file over 1 MB, and the target holds exactly its records', async ({ page }) => {
  test.setTimeout(180_000);
  const owner = await addUser('demo:owner');
  await signIn(page, owner);
  const suffix = randomUUID().slice(0, 8);
  const [definition] = await queryDatabase<{ id: string }>(
    `SELECT d.id FROM event_definitions d JOIN workspaces w ON w.id = d.workspace_id WHERE w.slug = 'demo' AND d.name = 'Billed Request'`,
  );
  const created = await page.request.post('/api/v1/event-stores', { data: { name: `file-run-${suffix}`, definitionId: definition!.id } });
  expect(created.status()).toBe(201);
  const targetStoreId = ((await created.json()) as { data: { id: string } }).data.id;
  const meterName = `File calls ${suffix}`;
  await makeFileMeter(meterName, targetStoreId);

  const start = Date.UTC(2026, 0, 1);
  const lines = Array.from({ length: RECORDS }, (_, i) =>
    JSON.stringify({ requestId: `f${i}`, occurredAt: new Date(start + i * 1000).toISOString(), customerId: `cust-${i % 50}`, endpoint: '/v1/widgets/padding-to-make-the-file-large', units: 1 + (i % 5) }),
  );
  const buffer = Buffer.from(lines.join('\n'));
  expect(buffer.length, 'the file is over the 1 MB a server action takes').toBeGreaterThan(1024 * 1024);

  await page.goto('/meters');
  await page.getByRole('button', { name: `Run ${meterName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${meterName}` });
  await dialog.getByLabel('File').setInputFiles({ name: 'calls.ndjson', mimeType: 'application/x-ndjson', buffer });
  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-status')).toContainText('Completed', { timeout: 120_000 });

  const [target] = await queryDatabase<{ count: number; units: number }>(`SELECT count(*)::int AS count, sum((payload->>'units')::int)::int AS units FROM events WHERE store_id = $1`, [targetStoreId]);
  expect(target).toEqual({ count: RECORDS, units: lines.reduce((sum, _, i) => sum + 1 + (i % 5), 0) });
});
