import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { appendEvents } from '@/lib/event-store/append-events';
import type { MeterNode } from '@/lib/meters/graph';
import type { MeterStoreInfo } from '@/lib/meters/kind-spec';
import { createMeter } from '@/lib/meters/repository';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';
import { dryRunWriterFactory, MAX_DRY_RUN_SAMPLES } from '@/lib/pipeline/writers/dry-run-writers';
import { createUsageRecordsWriter } from '@/lib/pipeline/writers/usage-records-writer';
import { makeTenant, scopeOf, unique } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let tenant: Tenant;
let run: PipelineRun;
let deps: PipelineDeps;

const T = '2026-11-01T00:00:00.000Z';
const event = (id: string, units: number, at = T) => ({ id, at, units });
const target = (kind: MeterNode['kind'], config: unknown): MeterNode => ({ id: `t-${kind}`, kind, label: '', position: { x: 0, y: 0 }, config });
const usage = (key: string, quantity: number) => ({ accountNumber: 'A-1', unitOfMeasure: 'GB', quantity, startDateTime: T, endDateTime: '2026-11-02T00:00:00.000Z', uniqueKey: key });

async function storeRows() {
  const { rows } = await getPool().query('SELECT event_id, event_time, payload FROM events WHERE store_id = $1 ORDER BY event_id', [tenant.store.id]);
  return rows;
}

beforeAll(async () => {
  tenant = await makeTenant();
  const meter = await createMeter(scopeOf(tenant.workspace, tenant.owner), { name: unique('Dry') });
  const store: MeterStoreInfo = {
    id: tenant.store.id,
    name: tenant.store.name,
    definition: { id: tenant.definition.id, name: tenant.definition.name, version: 1, fields: [], eventIdField: 'id', eventTimeField: 'at' },
  };
  run = { id: randomUUID(), workspaceId: tenant.workspace.id, meterId: meter.id, graph: { nodes: [], edges: [] }, context: { stores: new Map([[store.id, store]]) }, scope: { kind: 'all' }, dryRun: true, errorPolicy: 'skip' };
  deps = { pool: getPool(), leases: new Map(), signal: new AbortController().signal, onProgress: () => undefined, onRecordErrors: () => undefined };
  await appendEvents(getPool(), tenant.store.id, [event('e1', 1), event('e2', 2)].map((p) => ({ eventId: p.id, eventTime: new Date(p.at), payload: p })));
});
afterAll(() => disconnectPrisma());

describe('dry run of an Event Store target', () => {
  it('counts inserts, replaces and unchanged against the store, with before/after samples, and writes nothing', async () => {
    const before = await storeRows();
    const writer = dryRunWriterFactory(target('target.eventStore', { storeId: tenant.store.id, mapping: {} }), run, deps);
    // e1 identical (key order differs: jsonb equality), e2 changed, e3 new.
    expect(await writer.write([{ units: 1, at: T, id: 'e1' }, event('e2', 20), event('e3', 3)])).toEqual({ inserted: 1, replaced: 1, unchanged: 1, sent: 0 });
    expect(writer.samples()).toEqual([
      { change: 'replace', key: 'e2', before: event('e2', 2), after: event('e2', 20) },
      { change: 'insert', key: 'e3', after: event('e3', 3) },
    ]);
    // A later batch compares with what this run would have written: e3 again is unchanged, e2 back to 2 replaces the run's 20,
    // a new time alone is a replace, and a key twice within a batch is one insert and one replace.
    expect(await writer.write([event('e3', 3), event('e2', 2), event('e1', 1, '2026-11-01T00:00:01.000Z'), event('e4', 4), event('e4', 5)])).toEqual({ inserted: 1, replaced: 3, unchanged: 1, sent: 0 });
    expect(writer.samples().slice(2)).toEqual([
      { change: 'replace', key: 'e2', after: event('e2', 2) },
      { change: 'replace', key: 'e1', before: event('e1', 1), after: event('e1', 1, '2026-11-01T00:00:01.000Z') },
      { change: 'insert', key: 'e4', after: event('e4', 5) },
    ]);
    await writer.close();
    expect(await storeRows()).toEqual(before);
  });

  it(`keeps at most ${MAX_DRY_RUN_SAMPLES} samples over the whole run, and each writer starts from the store`, async () => {
    const writer = dryRunWriterFactory(target('target.eventStore', { storeId: tenant.store.id, mapping: {} }), run, deps);
    for (let b = 0; b < 3; b++) {
      expect(await writer.write(Array.from({ length: 15 }, (_, i) => event(`n${b}-${i}`, i)))).toMatchObject({ inserted: 15 });
    }
    expect(writer.samples()).toHaveLength(MAX_DRY_RUN_SAMPLES);
    expect(writer.samples().at(-1)).toMatchObject({ key: 'n1-4' });
    await writer.close();
    const fresh = dryRunWriterFactory(target('target.eventStore', { storeId: tenant.store.id, mapping: {} }), run, deps);
    expect(await fresh.write([event('n0-0', 0), event('e1', 1)])).toEqual({ inserted: 1, replaced: 0, unchanged: 1, sent: 0 });
    await fresh.close();
  });
});

describe('dry run of a Usage records target', () => {
  it('compares by unique key, column by column (1.5 equals 1.50), and writes nothing', async () => {
    await createUsageRecordsWriter(getPool(), { workspaceId: run.workspaceId, meterId: run.meterId, runId: randomUUID() }).write([usage('u1', 1.5), usage('u2', 2)]);
    await getPool().query(`UPDATE usage_records SET quantity = 1.50 WHERE meter_id = $1 AND unique_key = 'u1'`, [run.meterId]);
    const writer = dryRunWriterFactory(target('target.usageRecords', { mapping: {} }), run, deps);
    expect(await writer.write([usage('u1', 1.5), usage('u2', 3), { ...usage('u3', 1), chargeNumber: 'C-9' }])).toEqual({ inserted: 1, replaced: 1, unchanged: 1, sent: 0 });
    expect(writer.samples()).toEqual([
      { change: 'replace', key: 'u2', before: usage('u2', 2), after: usage('u2', 3) },
      { change: 'insert', key: 'u3', after: { ...usage('u3', 1), chargeNumber: 'C-9' } },
    ]);
    expect(await writer.write([{ ...usage('u3', 1), chargeNumber: 'C-9' }, usage('u2', 3), usage('u1', 9)])).toEqual({ inserted: 0, replaced: 1, unchanged: 2, sent: 0 });
    expect(await writer.write([usage('u3', 1)])).toMatchObject({ replaced: 1 }); // the charge number dropped
    await writer.close();
    const { rows } = await getPool().query('SELECT unique_key, quantity::text FROM usage_records WHERE meter_id = $1 ORDER BY unique_key', [run.meterId]);
    expect(rows).toEqual([{ unique_key: 'u1', quantity: '1.50' }, { unique_key: 'u2', quantity: '2' }]);
  });
});

describe('dry run of a Webhook target', () => {
  it('sends nothing and counts every record as sent', async () => {
    const writer = dryRunWriterFactory(target('target.webhook', { url: 'https://example.com/hook', batchSize: 10 }), run, deps);
    expect(await writer.write(Array.from({ length: 25 }, (_, i) => ({ n: i })))).toEqual({ inserted: 0, replaced: 0, unchanged: 0, sent: 25 });
    expect(writer.samples()).toHaveLength(MAX_DRY_RUN_SAMPLES);
    expect(writer.samples()[0]).toEqual({ change: 'insert', key: '#1', after: { n: 0 } });
    await writer.close();
  });
});
