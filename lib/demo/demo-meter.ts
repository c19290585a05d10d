import type { PrismaClient } from '@/lib/db/prisma';
import { DEMO_DEFINITIONS } from '@/lib/demo/demo-definitions';
import type { MeterGraph } from '@/lib/meters/graph';

const API_CALL = DEMO_DEFINITIONS.find((d) => d.name === 'API Call')!;
const BILLED_FIELDS: readonly string[] = ['requestId', 'occurredAt', 'customerId', 'endpoint', 'units'];

/** The store the demo meter writes: billable API calls, without the fields billing does not need. */
export const DEMO_BILLABLE_DEFINITION = {
  name: 'Billed Request',
  description: 'An API call that is billed: search calls removed.',
  eventIdField: API_CALL.eventIdField,
  eventTimeField: API_CALL.eventTimeField,
  fields: API_CALL.fields.filter((f) => BILLED_FIELDS.includes(f.name)),
};
export const DEMO_BILLABLE_STORE = { name: 'billed-requests', description: 'API calls to bill, written by the demo meter.' } as const;
export const DEMO_METER = { name: 'Billable API calls', description: 'api-calls without search calls, trimmed to what billing needs.' } as const;

/** Event Store api-calls → Filter → Map → Event Store billed-requests, in the model's config shapes. */
export function demoMeterGraph(sourceStoreId: string, targetStoreId: string): MeterGraph {
  const node = (id: string, kind: MeterGraph['nodes'][number]['kind'], label: string, x: number, config: unknown) => ({ id, kind, label, position: { x, y: 120 }, config });
  return {
    nodes: [
      node('source', 'source.eventStore', 'API calls', 0, { storeId: sourceStoreId }),
      node('billable', 'processor.filter', 'Drop search calls', 280, { condition: "units > 0 && endpoint != '/v1/search'" }),
      node('trim', 'processor.map', 'Keep billing fields', 560, { keep: 'all', fields: [], drop: ['region', 'latencyMs'], rename: [] }),
      node('target', 'target.eventStore', 'Billable API calls', 840, {
        storeId: targetStoreId,
        mapping: Object.fromEntries(DEMO_BILLABLE_DEFINITION.fields.map((f) => [f.name, f.name])),
      }),
    ],
    edges: [
      { id: 'source-billable', source: 'source', sourcePort: 'out', target: 'billable', targetPort: 'in' },
      { id: 'billable-trim', source: 'billable', sourcePort: 'out', target: 'trim', targetPort: 'in' },
      { id: 'trim-target', source: 'trim', sourcePort: 'out', target: 'target', targetPort: 'in' },
    ],
  };
}

const SEED_ACTOR = 'demo seed';

/**
 * The demo meter, saved once as version 1 with its meter_stores rows (so api-calls and billed-requests
 * show In use · Idle). Idempotent: an existing meter of that name is left as it is, whatever its version.
 */
export async function seedDemoMeter(prisma: PrismaClient, workspaceId: string, sourceStoreId: string): Promise<void> {
  const d = DEMO_BILLABLE_DEFINITION;
  const definition = await prisma.eventDefinition.upsert({
    where: { workspaceId_name: { workspaceId, name: d.name } },
    update: {},
    create: { workspaceId, name: d.name, description: d.description, eventIdField: d.eventIdField, eventTimeField: d.eventTimeField, fields: d.fields.map((f) => ({ ...f })) },
  });
  const target = await prisma.eventStore.upsert({
    where: { workspaceId_name: { workspaceId, name: DEMO_BILLABLE_STORE.name } },
    update: {},
    create: { workspaceId, definitionId: definition.id, ...DEMO_BILLABLE_STORE },
  });
  if (await prisma.meter.findUnique({ where: { workspaceId_name: { workspaceId, name: DEMO_METER.name } }, select: { id: true } })) return;
  await prisma.$transaction(async (tx) => {
    const meter = await tx.meter.create({ data: { workspaceId, ...DEMO_METER, version: 1, createdBy: SEED_ACTOR, updatedBy: SEED_ACTOR } });
    const graph = demoMeterGraph(sourceStoreId, target.id);
    await tx.meterVersion.create({ data: { meterId: meter.id, version: 1, graph: graph as object, createdBy: SEED_ACTOR, note: 'Demo meter' } });
    await tx.meterStore.createMany({
      data: [
        { meterId: meter.id, storeId: sourceStoreId, role: 'source' },
        { meterId: meter.id, storeId: target.id, role: 'target' },
      ],
    });
  });
}
