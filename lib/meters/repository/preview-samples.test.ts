import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import type { MeterGraph } from '@/lib/meters/graph';
import { loadMeterContext } from '@/lib/meters/repository';
import { loadPreviewSamples, MAX_SAMPLE_ROWS } from '@/lib/meters/repository/preview-samples';
import { makeTenant } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;

const node = (id: string, kind: MeterGraph['nodes'][number]['kind'], config: unknown) => ({ id, kind, label: '', position: { x: 0, y: 0 }, config });

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  // 1,200 events a minute apart: the sample is the newest 1,000, oldest first.
  await getPool().query(
    `INSERT INTO events (store_id, event_id, event_time, payload)
     SELECT $1::uuid, 'e' || i, t, jsonb_build_object('id', 'e' || i, 'at', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       FROM generate_series(1, 1200) AS i, LATERAL (SELECT '2026-11-01T00:00Z'::timestamptz + i * interval '1 minute' AS t) AS x`,
    [a.store.id],
  );
});
afterAll(() => disconnectPrisma());

describe('loadPreviewSamples', () => {
  it("reads the newest events of an Event Store source in time order, takes a file source's rows from the browser, and nothing else", async () => {
    const graph: MeterGraph = {
      nodes: [
        node('store', 'source.eventStore', { storeId: a.store.id }),
        node('theirs', 'source.eventStore', { storeId: b.store.id }),
        node('file', 'source.fileUpload', { fileName: 'calls.csv', format: 'csv', fields: [] }),
        node('keep', 'processor.filter', { condition: 'true' }),
      ],
      edges: [],
    };
    const rows = Array.from({ length: MAX_SAMPLE_ROWS + 5 }, (_, i) => ({ n: i }));
    const samples = await loadPreviewSamples(a.workspace.id, graph, await loadMeterContext(a.workspace.id), {
      file: rows,
      store: [{ forged: true }],
      keep: [{ forged: true }],
    });
    expect(Object.keys(samples).sort()).toEqual(['file', 'store']);
    expect(samples.store).toHaveLength(MAX_SAMPLE_ROWS);
    expect(samples.store![0]).toMatchObject({ id: 'e201' });
    expect(samples.store!.at(-1)).toMatchObject({ id: 'e1200' });
    expect(samples.file).toHaveLength(MAX_SAMPLE_ROWS);
  });
});
