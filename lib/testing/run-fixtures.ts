import type { MeterGraph, MeterNode } from '@/lib/meters/graph';
import { createMeter, saveMeterVersion } from '@/lib/meters/repository';
import { makeStore, scopeOf, unique } from '@/lib/testing/factories';

type Tenant = { workspace: { id: string; name: string }; definition: { id: string }; store: { id: string; name: string }; owner: { id: string; email: string } };

const node = (id: string, kind: MeterNode['kind'], config: unknown, x: number): MeterNode => ({ id, kind, label: '', position: { x, y: 0 }, config });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, sourcePort: 'out' as const, target, targetPort: 'in' as const });

/** Source → Filter (keep all) → Event Store target mapped onto the factories' definition (id, at). */
export function copyGraph(source: MeterNode, targetStoreId: string): MeterGraph {
  return {
    nodes: [source, node('keep', 'processor.filter', { condition: 'true' }, 200), node('dst', 'target.eventStore', { storeId: targetStoreId, mapping: { id: 'id', at: 'at' } }, 400)],
    edges: [edge(source.id, 'keep'), edge('keep', 'dst')],
  };
}

const SOURCES = {
  eventStore: (storeId: string) => node('src', 'source.eventStore', { storeId }, 0),
  file: () => node('src', 'source.fileUpload', { fileName: 'calls.ndjson', format: 'ndjson', fields: [{ name: 'id', type: 'string', required: true }, { name: 'at', type: 'datetime', required: true }] }, 0),
  http: () => node('src', 'source.httpIngest', { fields: [{ name: 'id', type: 'string', required: true }, { name: 'at', type: 'datetime', required: true }] }, 0),
};

/**
 * A saved meter (version 1) of the tenant that copies events into a new target store: from the tenant's
 * store (or `sourceStoreId`), from a file, or from HTTP ingest.
 */
export async function makeCopyMeter(tenant: Tenant, options: { source?: keyof typeof SOURCES; sourceStoreId?: string; targetStoreId?: string } = {}) {
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const target = options.targetStoreId ? { id: options.targetStoreId } : await makeStore(tenant.workspace.id, tenant.definition.id, unique('target'));
  const meter = await createMeter(scope, { name: unique('Copy') });
  const kind = options.source ?? 'eventStore';
  await saveMeterVersion(scope, meter.id, 0, copyGraph(SOURCES[kind](options.sourceStoreId ?? tenant.store.id), target.id));
  return { meter: { id: meter.id, name: meter.name }, targetStoreId: target.id };
}
