import { z } from 'zod';
import type { FlowField } from '@/lib/meters/flow-schema';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { checkMapping, mappedSource, mappingProcessor, mappingSchema, type MappingTarget } from '@/lib/meters/kinds/target-mapping';

/** The fields of a usage record, in the order the table and the page show them. */
export const USAGE_RECORD_FIELDS = [
  { name: 'accountNumber', type: 'string', required: true, description: 'The billing account the usage belongs to.' },
  { name: 'subscriptionNumber', type: 'string', required: false, description: 'The subscription, when the usage is for one.' },
  { name: 'chargeNumber', type: 'string', required: false, description: 'The charge that rates the usage, when known.' },
  { name: 'unitOfMeasure', type: 'string', required: true, description: 'What is counted, e.g. API calls or GB.' },
  { name: 'quantity', type: 'number', required: true, description: 'How much was used.' },
  { name: 'startDateTime', type: 'datetime', required: true, description: 'When the usage started (its event time).' },
  { name: 'endDateTime', type: 'datetime', required: true, description: 'When the usage ended.' },
  { name: 'uniqueKey', type: 'string', required: true, description: 'Identifies the record: a record with the same key replaces it.' },
] as const satisfies readonly FlowField[];
export type UsageRecordField = (typeof USAGE_RECORD_FIELDS)[number]['name'];

export const USAGE_RECORDS_TARGET: MappingTarget = { name: 'usage records', fields: USAGE_RECORD_FIELDS, eventTimeField: 'startDateTime', eventIdField: 'uniqueKey' };

export const usageRecordsConfigSchema = z.object({ mapping: mappingSchema.default({}) });
/** `mapping`: each usage-record field → an expression over the incoming fields (subscription and charge optional). */
export type UsageRecordsTargetConfig = z.output<typeof usageRecordsConfigSchema>;

const endNotBeforeStart = (record: Record<string, unknown>) =>
  Date.parse(record.endDateTime as string) < Date.parse(record.startDateTime as string)
    ? `“endDateTime” (${String(record.endDateTime)}) is before “startDateTime” (${String(record.startDateTime)}); map an end at or after the start.`
    : null;

export const usageRecordsTargetSpec: NodeKindSpec<UsageRecordsTargetConfig> = {
  kind: 'target.usageRecords',
  category: 'target',
  label: KIND_LABELS['target.usageRecords'],
  description: 'Billable usage: account, subscription, charge, unit, quantity, start and end, unique key.',
  keywords: ['usage', 'billing', 'rating', 'records', 'invoice', 'quantity'],
  configSchema: usageRecordsConfigSchema,
  defaultConfig: () => ({ mapping: {} }),
  inputs: 1,
  outputs: 0,
  outputSchema: () => ({ fields: [] }),
  check: (config, input, _context, node) => checkMapping(node, config.mapping, USAGE_RECORDS_TARGET, input),
  storeRefs: () => [],
  summary: (config) => `${USAGE_RECORD_FIELDS.filter((f) => mappedSource(config.mapping, f.name)).length} of ${USAGE_RECORD_FIELDS.length} fields mapped`,
  createProcessor: (config, input) => mappingProcessor(config.mapping, USAGE_RECORDS_TARGET, input, endNotBeforeStart),
};
