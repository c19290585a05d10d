import { z } from 'zod';
import type { FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterContext, MeterStoreInfo, NodeKindSpec } from '@/lib/meters/kind-spec';
import { KIND_LABELS, nodeName } from '@/lib/meters/kinds/labels';
import { configError, nodeError } from '@/lib/meters/kinds/node-problems';
import { passThrough } from '@/lib/meters/kinds/pass-through';

export const storeIdSchema = z.string({ error: 'Choose an event store.' }).max(64, 'That is not an event store id; choose a store from the list.');

export const eventStoreSourceConfigSchema = z.object({ storeId: storeIdSchema.default('') });
/** `storeId` is empty until a store is chosen. */
export type EventStoreSourceConfig = z.output<typeof eventStoreSourceConfigSchema>;

const storeSchemas = new WeakMap<MeterStoreInfo, FlowSchema>();

/** The store's definition as a flow: its fields, typed and required as the definition says (one object per store info). */
export function storeFlowSchema(store: MeterStoreInfo): FlowSchema {
  let schema = storeSchemas.get(store);
  if (!schema) {
    schema = { fields: store.definition.fields.map((f) => ({ name: f.name, type: f.type, required: f.required, ...(f.description && { description: f.description }) })) };
    storeSchemas.set(store, schema);
  }
  return schema;
}

/** The chosen store, or undefined when none is chosen or it no longer exists. */
export const storeOf = (storeId: string, context: MeterContext) => (storeId ? context.stores.get(storeId) : undefined);

/** The problem of a node whose store is not chosen or not found; null when the store is there. */
export function storeProblem(storeId: string, context: MeterContext, node: Parameters<typeof nodeError>[0]) {
  if (!storeId) return configError(node, 'choose an event store.', ['storeId']);
  if (!context.stores.has(storeId)) {
    return nodeError(node, 'STORE_NOT_FOUND', `${nodeName(node)}: its event store no longer exists (or belongs to another workspace). Choose another store.`, ['storeId']);
  }
  return null;
}

export const eventStoreSourceSpec: NodeKindSpec<EventStoreSourceConfig> = {
  kind: 'source.eventStore',
  category: 'source',
  label: KIND_LABELS['source.eventStore'],
  description: 'Reads the events of one of your event stores (a run can replay a time frame).',
  keywords: ['store', 'events', 'replay', 'read'],
  configSchema: eventStoreSourceConfigSchema,
  defaultConfig: () => ({ storeId: '' }),
  inputs: 0,
  outputs: 1,
  outputSchema: (config, _input, context) => {
    const store = storeOf(config.storeId, context);
    return store ? storeFlowSchema(store) : { fields: [] };
  },
  check: (config, _input, context, node) => {
    const problem = storeProblem(config.storeId, context, node);
    return problem ? [problem] : [];
  },
  storeRefs: (config) => (config.storeId ? [{ storeId: config.storeId, role: 'source' }] : []),
  summary: (config, context) => storeOf(config.storeId, context)?.name ?? 'No store chosen',
  createProcessor: () => passThrough(),
};
