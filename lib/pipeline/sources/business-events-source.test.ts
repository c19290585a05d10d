import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { releaseStore, takeStore, type Lease } from '@/lib/event-store/store-status';
import { chain, node } from '@/lib/meters/fixtures';
import type { MeterGraph } from '@/lib/meters/graph';
import { createMeter, saveMeterVersion } from '@/lib/meters/repository';
import { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
import { loadPreviewSamples } from '@/lib/meters/repository/preview-samples';
import { executeRun } from '@/lib/pipeline/execute-run';
import { businessEventsSource, scanQuery } from '@/lib/pipeline/sources/business-events-source';
import { storedEvents } from '@/lib/pipeline/pipeline-fixtures';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';
import { estimateRun } from '@/lib/runs/estimate';
import { runShapeOf } from '@/lib/runs/run-shape';
import type { RunScope } from '@/lib/runs/types';
import { makeTenant, scopeOf, unique } from '@/lib/testing/factories';
import { planAtScale } from '@/lib/testing/plan-at-scale';

afterAll(() => closePool());

// Business events made the real way: changes received (lib/custom-events/changes) and processed against a trigger.
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();
const posted = (recordId: string, minute: number, amount: number) => ({
  object: 'Invoice',
  recordId,
  changeType: 'UPDATE',
  current: { Status: 'Posted', Amount: amount, AccountId: `A-${recordId}`, DueDate: '2026-12-01' },
  previous: { Status: 'Draft', Amount: amount },
  time: at(minute),
});

let world: Awaited<ReturnType<typeof makeWorld>>;
beforeAll(async () => {
  world = await makeWorld();
});

async function makeWorld() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
  await createTrigger(getPrisma(), scope, { eventType: 'PaymentMade', baseObject: 'Payment', condition: "changeType == 'INSERT'" });
  const definition = await getPrisma().eventDefinition.create({
    data: {
      workspaceId: tenant.workspace.id,
      name: unique('posted'),
      eventIdField: 'id',
      eventTimeField: 'at',
      fields: [
        { name: 'id', type: 'string', required: true, description: '' },
        { name: 'at', type: 'datetime', required: true, description: '' },
        { name: 'account', type: 'string', required: true, description: '' },
        { name: 'amount', type: 'number', required: false, description: '' },
        { name: 'due', type: 'datetime', required: false, description: '' },
      ],
    },
  });
  const target = await getPrisma().eventStore.create({ data: { workspaceId: tenant.workspace.id, definitionId: definition.id, name: unique('posted') } });
  const graph: MeterGraph = chain([
    node('src', 'source.businessEvents', { eventType: 'InvoicePosted' }),
    node('target', 'target.eventStore', { storeId: target.id, mapping: { id: 'eventId', at: 'time', account: 'AccountId', amount: 'Amount', due: 'DueDate' } }),
  ]);
  const meter = await createMeter(scope, { name: unique('Posted invoices') });
  await saveMeterVersion(scope, meter.id, 0, graph);
  // Minutes 0..9: ten posted invoices (each a business event), a payment (another type) and an insert no trigger matches.
  await post(scope, [...Array.from({ length: 10 }, (_, i) => posted(`I-${i}`, 9 - i, 10 * (i + 1))), { object: 'Payment', recordId: 'P-1', changeType: 'INSERT', current: { Amount: 5 }, time: at(3) }]);
  return { tenant, scope, target, graph, meter, context: await loadMeterContext(tenant.workspace.id) };
}

async function post(scope: ReturnType<typeof scopeOf>, changes: object[]) {
  await receiveChanges(getPool(), scope, changes);
  await processChanges(getPool(), scope.workspaceId);
}

const run = (scope: RunScope, overrides: Partial<PipelineRun> = {}): PipelineRun => ({
  id: unique('run'),
  workspaceId: world.tenant.workspace.id,
  meterId: world.meter.id,
  graph: world.graph,
  context: world.context,
  scope,
  dryRun: false,
  errorPolicy: 'stop',
  ...overrides,
});

async function deps(dryRun = false): Promise<PipelineDeps> {
  const leases = new Map<string, Lease>();
  if (!dryRun) leases.set(world.target.id, (await takeStore(getPool(), world.target.id, 'writing', 'test run')) as Lease);
  return { pool: getPool(), leases, signal: new AbortController().signal, onProgress: () => undefined, onRecordErrors: () => undefined };
}

async function release(d: PipelineDeps) {
  for (const lease of d.leases.values()) await releaseStore(getPool(), lease);
}

async function runOnce(scope: RunScope, options: Parameters<typeof executeRun>[2] = {}, overrides: Partial<PipelineRun> = {}) {
  const d = await deps(overrides.dryRun);
  try {
    return await executeRun(run(scope, overrides), d, options);
  } finally {
    await release(d);
  }
}

const targetCount = async () => Number((await getPool().query(`SELECT count(*) AS n FROM events WHERE store_id = $1`, [world.target.id])).rows[0].n);

describe('Business Events source', () => {
  it('reads the events of its type in change-time order, in pages, as flat records typed by the object model', async () => {
    const seen: Record<string, unknown>[] = [];
    let read = 0;
    for await (const batch of businessEventsSource(getPool(), world.tenant.workspace.id, [{ nodeId: 'a', eventType: 'InvoicePosted', object: 'Invoice' }, { nodeId: 'b', eventType: 'PaymentMade', object: 'Payment' }], {}, { pageSize: 3 })) {
      read += batch.read;
      seen.push(...batch.records.get('a')!, ...batch.records.get('b')!);
    }
    expect(read).toBe(11);
    const invoices = seen.filter((r) => r.eventType === 'InvoicePosted');
    expect(invoices.map((r) => r.recordId)).toEqual(Array.from({ length: 10 }, (_, i) => `I-${9 - i}`));
    expect(invoices[0]).toMatchObject({ object: 'Invoice', changeType: 'UPDATE', changedFields: ['AccountId', 'DueDate', 'Status'], time: at(0), Status: 'Posted', Status_old: 'Draft', Amount: 100, DueDate: '2026-12-01T00:00:00.000Z', triggerVersion: 1 });
    expect(seen.filter((r) => r.eventType === 'PaymentMade').map((r) => [r.recordId, r.Amount, r.time])).toEqual([['P-1', 5, at(3)]]);
  });

  it('runs into an Event Store target: all time, a frame of change time, a dry run that writes nothing, and an idempotent re-run', async () => {
    const dry = await runOnce({ kind: 'all' }, {}, { dryRun: true });
    expect(dry.report!.targets.target).toMatchObject({ name: 'Event Store target' });
    expect(await targetCount()).toBe(0);

    const frame = await runOnce({ kind: 'frame', from: at(2), to: at(5), timeZone: 'UTC' }, { businessEvents: { pageSize: 2 } });
    expect(frame.progress.read).toBe(3);
    expect((await storedEvents(world.target.id)).sort((a, b) => a.event_time.getTime() - b.event_time.getTime()).map((e) => [e.payload.account, e.event_time.toISOString()])).toEqual([
      ['A-I-7', at(2)],
      ['A-I-6', at(3)],
      ['A-I-5', at(4)],
    ]);

    const all = await runOnce({ kind: 'all' }, { businessEvents: { pageSize: 4 } });
    expect(all.progress.read).toBe(10);
    expect(await targetCount()).toBe(10);
    const one = (await storedEvents(world.target.id)).find((e) => e.payload.account === 'A-I-0')!;
    expect(one.payload).toEqual({ id: one.event_id, at: at(9), account: 'A-I-0', amount: 10, due: '2026-12-01T00:00:00.000Z' });

    // Again: the same events land on the same ids (the target replaces by event id), nothing doubles.
    const again = await runOnce({ kind: 'all' });
    expect(again.progress.read).toBe(10);
    expect(await targetCount()).toBe(10);
  });

  it('reads its scope as of its start: events stored while it runs, even inside its frame, wait for the next run', async () => {
    const { tenant, scope } = await makeWorldForLateEvents();
    const nodes = [{ nodeId: 'a', eventType: 'LatePosted', object: 'Invoice' }];
    const seen: unknown[] = [];
    let posted = false;
    for await (const batch of businessEventsSource(getPool(), tenant.workspace.id, nodes, { from: new Date(at(0)), to: new Date(at(60)) }, {
      pageSize: 2,
      afterPage: async (page) => {
        if (page !== 1 || posted) return;
        posted = true;
        // A change with an earlier change time than anything read so far, and one at the end of the frame.
        await post(scope, [late('L-early', 0), late('L-end', 59)]);
      },
    })) {
      seen.push(...batch.records.get('a')!.map((r) => r.recordId));
    }
    expect(posted).toBe(true);
    expect(seen).toEqual(['L-1', 'L-2', 'L-3']);
    const next: unknown[] = [];
    for await (const batch of businessEventsSource(getPool(), tenant.workspace.id, nodes, { from: new Date(at(0)), to: new Date(at(60)) })) next.push(...batch.records.get('a')!.map((r) => r.recordId));
    expect(next).toEqual(['L-early', 'L-1', 'L-2', 'L-3', 'L-end']);
  });

  it('gives the Run dialog its hints and an exact count over change time, and refuses a file scope', async () => {
    const estimate = await estimateRun(world.tenant.workspace.id, { meterId: world.meter.id, scope: { kind: 'all' } });
    expect(estimate).toMatchObject({ events: 10, kind: 'exact', earliest: at(0), latest: at(9), source: 'businessEvents' });
    const frame = await estimateRun(world.tenant.workspace.id, { meterId: world.meter.id, scope: { kind: 'frame', from: at(2), to: at(5), timeZone: 'UTC' } });
    expect(frame).toMatchObject({ events: 3, earliest: at(0), latest: at(9) });
    await expect(estimateRun(world.tenant.workspace.id, { meterId: world.meter.id, scope: { kind: 'file', fileName: 'x.csv' } })).rejects.toMatchObject({ code: 'SCOPE_MISMATCH' });
    expect(runShapeOf(world.graph, world.context)).toMatchObject({ sourceKind: 'businessEvents', sourceEventTypes: ['InvoicePosted'], sourceStores: [] });
    const mixed = { ...world.graph, nodes: [...world.graph.nodes, node('es', 'source.eventStore', { storeId: world.tenant.store.id })] };
    expect(() => runShapeOf(mixed, world.context)).toThrow(/Event Stores, business events, a file, or HTTP ingest/);
  });

  it('previews on the newest events of its type, in change-time order', async () => {
    const samples = await loadPreviewSamples(world.tenant.workspace.id, world.graph, world.context);
    expect(samples.src!.map((r) => r.recordId)).toEqual(Array.from({ length: 10 }, (_, i) => `I-${9 - i}`));
    // Another workspace's preview of the same type sees none of these.
    const other = await makeTenant();
    expect(await loadPreviewSamples(other.workspace.id, world.graph, world.context)).toEqual({ src: [] });
  });

  it('seeks the (workspace, type, change time, id) index: one ordered index scan per type, no sort of the events', async () => {
    const query = scanQuery(world.tenant.workspace.id, ['InvoicePosted', 'PaymentMade'], { from: new Date(at(0)) }, { time: new Date(at(3)), id: '00000000-0000-4000-8000-000000000000' }, 5_000);
    const plan = await planAtScale(getPool(), query);
    expect(plan.match(/Index Scan using business_events_workspace_id_event_type_changed_at_id_idx/g)).toHaveLength(2);
    expect(plan).not.toMatch(/^\s*->\s*Sort/m);
  });
});

const late = (recordId: string, minute: number) => ({ object: 'Invoice', recordId, changeType: 'INSERT', current: { Status: 'Late' }, time: at(minute) });

async function makeWorldForLateEvents() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  await createTrigger(getPrisma(), scope, { eventType: 'LatePosted', baseObject: 'Invoice', condition: "Invoice.Status == 'Late'" });
  await post(scope, [late('L-1', 10), late('L-2', 20), late('L-3', 30)]);
  return { tenant, scope };
}
