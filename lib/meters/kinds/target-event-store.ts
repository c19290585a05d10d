import { z } from 'zod';
import type { MeterStoreInfo, NodeKindSpec } from '@/lib/meters/kind-spec';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { storeFlowSchema, storeIdSchema, storeOf, storeProblem } from '@/lib/meters/kinds/source-event-store';
import { checkMapping, mappedSource, mappingProcessor, mappingSchema, type MappingTarget } from '@/lib/meters/kinds/target-mapping';

export { suggestMapping } from '@/lib/meters/kinds/target-mapping';

export const eventStoreTargetConfigSchema = z.object({ storeId: storeIdSchema.default(''), mapping: mappingSchema.default({}) });
/** `mapping`: each store field → an expression over the incoming fields; the event-time field must be mapped. */
export type EventStoreTargetConfig = z.output<typeof eventStoreTargetConfigSchema>;

export const storeMappingTarget = (store: MeterStoreInfo): MappingTarget => ({
  name: `store “${store.name}”`,
  fields: storeFlowSchema(store).fields,
  eventTimeField: store.definition.eventTimeField,
  eventIdField: store.definition.eventIdField,
});

export const eventStoreTargetSpec: NodeKindSpec<EventStoreTargetConfig> = {
  kind: 'target.eventStore',
  category: 'target',
  label: KIND_LABELS['target.eventStore'],
  description: 'Writes records into one of your event stores, mapped onto its event definition.',
  keywords: ['store', 'write', 'save', 'events', 'output'],
  configSchema: eventStoreTargetConfigSchema,
  defaultConfig: () => ({ storeId: '', mapping: {} }),
  inputs: 1,
  outputs: 0,
  outputSchema: () => ({ fields: [] }),
  check: (config, input, context, node) => {
    const problem = storeProblem(config.storeId, context, node);
    if (problem) return [problem];
    return checkMapping(node, config.mapping, storeMappingTarget(context.stores.get(config.storeId)!), input);
  },
  storeRefs: (config) => (config.storeId ? [{ storeId: config.storeId, role: 'target' }] : []),
  summary: (config, context) => {
    const store = storeOf(config.storeId, context);
    if (!store) return 'No store chosen';
    const mapped = store.definition.fields.filter((f) => mappedSource(config.mapping, f.name)).length;
    return `→ ${store.name} (${mapped} of ${store.definition.fields.length} fields mapped)`;
  },
  createProcessor: (config, input, context) => {
    const store = storeOf(config.storeId, context);
    if (!store) throw new Error(`The event store ${config.storeId} is not in the meter's context.`);
    return mappingProcessor(config.mapping, storeMappingTarget(store), input);
  },
};
