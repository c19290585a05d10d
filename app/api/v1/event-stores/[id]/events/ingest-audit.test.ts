import { beforeAll, describe, expect, it } from 'vitest';
import { makeRouteClient } from '@/app/api/v1/event-stores/[id]/events/route-test-client';
import { getPool } from '@/lib/db/pool';
import { fileNameOf } from '@/lib/event-store/ingest/record-ingest-audit';

let client: Awaited<ReturnType<typeof makeRouteClient>>;

beforeAll(async () => {
  client = await makeRouteClient([
    { name: 'id', type: 'string', required: true, description: '' },
    { name: 'at', type: 'datetime', required: true, description: '' },
  ]);
});

async function auditRowsOf(storeId: string) {
  const { rows } = await getPool().query(
    `SELECT actor_type, actor_label, action, target_type, details FROM audit_events WHERE target_id = $1 ORDER BY id`,
    [storeId],
  );
  return rows;
}

const ndjson = (ids: string[]) => ids.map((id) => JSON.stringify({ id, at: '2026-01-01T00:00:00Z' }) + '\n').join('');

describe('ingest audit', () => {
  it('records an upload once: who, which store, its file name and counts', async () => {
    const store = await client.newStore();
    await client.post(store.id, ndjson(['a', 'b']), 'application/x-ndjson');
    const body = ndjson(['a', 'c', 'd']) + '{"id": "e"}\n';
    const response = await client.post(store.id, body, 'application/x-ndjson', { 'x-file-name': encodeURIComponent('März usage.ndjson') });
    expect(response.status).toBe(200);
    const rows = await auditRowsOf(store.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      actor_type: 'api_key',
      actor_label: expect.stringMatching(/^key-/),
      action: 'events.ingested',
      target_type: 'event_store',
      details: { store: store.name, fileName: 'März usage.ndjson', format: 'ndjson', accepted: 3, inserted: 2, replaced: 1, rejected: 1 },
    });
  });

  it('records a REST body without a file name by its format, also when nothing was valid (422)', async () => {
    const store = await client.newStore();
    const response = await client.post(store.id, '[{"id": "x"}]', 'application/json');
    expect(response.status).toBe(422);
    expect((await auditRowsOf(store.id)).map((r) => r.details)).toEqual([
      { store: store.name, format: 'json', accepted: 0, inserted: 0, replaced: 0, rejected: 1 },
    ]);
  });

  it('records a request that failed part-way with what was stored before the failure', async () => {
    const store = await client.newStore();
    // 12,000 events in chunks (two full batches of 5,000 go out), then the connection drops.
    const chunks = Array.from({ length: 12 }, (_, c) => ndjson(Array.from({ length: 1000 }, (_, i) => `e${c * 1000 + i}`)));
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const chunk = chunks.shift();
        if (chunk === undefined) controller.error(new Error('connection reset'));
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const response = await client.post(store.id, body, 'application/x-ndjson', { 'x-file-name': 'big.ndjson' });
    expect(response.status).toBe(500);
    const stored = await client.count(store.id);
    expect(stored).toBeGreaterThan(0);
    const [row] = await auditRowsOf(store.id);
    expect(row.details).toEqual({ store: store.name, fileName: 'big.ndjson', format: 'ndjson', accepted: stored, inserted: stored, replaced: 0, rejected: 0, failed: 'INTERNAL' });
  });

  it('reads the file name from X-File-Name: decoded, without control characters, bounded; malformed escapes kept as sent', () => {
    const request = (name?: string) => new Request('http://localhost/', { headers: name === undefined ? {} : { 'x-file-name': name } });
    expect(fileNameOf(request())).toBeNull();
    expect(fileNameOf(request(encodeURIComponent('a\nb.csv')))).toBe('ab.csv');
    expect(fileNameOf(request('100%.csv'))).toBe('100%.csv');
    expect(fileNameOf(request('x'.repeat(400)))).toHaveLength(255);
  });
});
