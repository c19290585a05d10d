import { z } from 'zod';
import { BILLING_OBJECTS, findObject, type BillingObject, type ObjectField } from '@/lib/custom-events/object-model';
import type { FieldType } from '@/lib/event-definitions/definition-schema';
import { OLD_SUFFIX } from '@/lib/expressions/schema';
import type { FlowField, FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterContext, MeterEventTypeInfo, NodeKindSpec } from '@/lib/meters/kind-spec';
import { KIND_LABELS, nodeName } from '@/lib/meters/kinds/labels';
import { configError, nodeError } from '@/lib/meters/kinds/node-problems';
import { passThrough } from '@/lib/meters/kinds/pass-through';
import { suggest } from '@/lib/text/suggest';

/**
 * Business Events source: the business events of one event type (lib/custom-events: a trigger matched an
 * object change), one flat record per event, in change-time order. The record's shape:
 *
 * - metadata, always present: `eventId`, `eventType`, `object`, `recordId`, `changeType` (INSERT, UPDATE or
 *   DELETE), `changedFields` (json: a list of field names), `time` (the change time: the flow's event time),
 *   `processedAt`, `triggerVersion`;
 * - the trigger's object's fields with their current values under their own names (`Status`, `Amount`) and
 *   their previous values with `_old` appended (`Status_old`), as trigger conditions name them. Every field
 *   is on every record, null when the change did not carry it (an INSERT has no previous values, a DELETE no
 *   current ones). Date fields ('YYYY-MM-DD') become datetimes at midnight UTC, so they map onto a store's
 *   datetime fields; datetimes are ISO 8601 in UTC.
 *
 * Flat fields are what Filter, Map, Aggregate and the target mappings read; nothing needs a json path.
 */

export const businessEventsSourceConfigSchema = z.object({
  eventType: z.string({ error: 'Choose a business event type.' }).max(64, 'That is not a business event type; choose one from the list.').default(''),
});
/** `eventType` is empty until a type is chosen. */
export type BusinessEventsSourceConfig = z.output<typeof businessEventsSourceConfigSchema>;

/** The metadata fields every record carries, before the object's values. */
export const BUSINESS_EVENT_META_FIELDS: readonly FlowField[] = [
  { name: 'eventId', type: 'string', required: true, description: 'Id of the business event.' },
  { name: 'eventType', type: 'string', required: true, description: 'The business event type, e.g. InvoicePosted.' },
  { name: 'object', type: 'string', required: true, description: 'The billing object that changed, e.g. Invoice.' },
  { name: 'recordId', type: 'string', required: true, description: 'Id of the record that changed.' },
  { name: 'changeType', type: 'string', required: true, description: 'INSERT, UPDATE or DELETE.' },
  { name: 'changedFields', type: 'json', required: true, description: 'The fields an UPDATE changed (a list of names; empty for INSERT and DELETE).' },
  { name: 'time', type: 'datetime', required: true, description: 'When the change happened: the event time runs and windows use.' },
  { name: 'processedAt', type: 'datetime', required: true, description: 'When the trigger fired on the change.' },
  { name: 'triggerVersion', type: 'integer', required: true, description: 'Version of the trigger that fired.' },
];

const META_NAMES = new Set(BUSINESS_EVENT_META_FIELDS.map((f) => f.name.toLowerCase()));

const flowTypeOf = (field: ObjectField): FieldType => (field.type === 'date' ? 'datetime' : field.type);

/**
 * The object's fields a record carries: those whose name and `_old` name do not clash with a metadata field
 * (case-insensitively, as expressions read names). No built-in field clashes; the rule keeps a future custom
 * field from shadowing the metadata.
 */
const valueFieldsOf = (object: BillingObject) =>
  object.fields.filter((f) => !META_NAMES.has(f.name.toLowerCase()) && !META_NAMES.has(`${f.name}${OLD_SUFFIX}`.toLowerCase()));

const schemas = new Map<string, FlowSchema>();

/** The records' schema for events of `objectName` (one object per name); only the metadata for an unknown object. */
export function businessEventFlowSchema(objectName: string): FlowSchema {
  let schema = schemas.get(objectName);
  if (!schema) {
    const object = findObject(BILLING_OBJECTS, objectName);
    const fields = object ? valueFieldsOf(object) : [];
    schema = {
      fields: [
        ...BUSINESS_EVENT_META_FIELDS,
        ...fields.map((f) => ({ name: f.name, type: flowTypeOf(f), required: false, description: `${object!.name}.${f.name} after the change: ${f.description}` })),
        ...fields.map((f) => ({ name: `${f.name}${OLD_SUFFIX}`, type: flowTypeOf(f), required: false, description: `${object!.name}.${f.name} before the change.` })),
      ],
    };
    schemas.set(objectName, schema);
  }
  return schema;
}

type StoredValue = string | number | boolean | null;

/** A stored business event as the source reads it (lib/pipeline/sources/business-events-source.ts). */
export interface StoredBusinessEventForFlow {
  id: string;
  eventType: string;
  triggerVersion: number;
  object: string;
  recordId: string;
  changeType: string;
  changedFields: string[];
  changedAt: Date;
  processedAt: Date;
  current: Record<string, StoredValue>;
  previous: Record<string, StoredValue>;
}

function flowValue(field: ObjectField, value: StoredValue | undefined): StoredValue {
  if (value === undefined || value === null) return null;
  if (field.type === 'date' && typeof value === 'string') return `${value}T00:00:00.000Z`;
  if (field.type === 'datetime' && typeof value === 'string') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : new Date(time).toISOString();
  }
  return value;
}

/** One event as a flow record of businessEventFlowSchema(objectName) (the trigger's object today). */
export function businessEventRecord(event: StoredBusinessEventForFlow, objectName: string): FlowRecord {
  const record: FlowRecord = {
    eventId: event.id,
    eventType: event.eventType,
    object: event.object,
    recordId: event.recordId,
    changeType: event.changeType,
    changedFields: event.changedFields,
    time: event.changedAt.toISOString(),
    processedAt: event.processedAt.toISOString(),
    triggerVersion: event.triggerVersion,
  };
  const object = findObject(BILLING_OBJECTS, objectName);
  if (!object) return record;
  const fields = valueFieldsOf(object);
  for (const f of fields) record[f.name] = flowValue(f, event.current[f.name]);
  for (const f of fields) record[`${f.name}${OLD_SUFFIX}`] = flowValue(f, event.previous[f.name]);
  return record;
}

/** The chosen event type, or undefined when none is chosen or the workspace has no trigger making it. */
export const eventTypeOf = (eventType: string, context: MeterContext): MeterEventTypeInfo | undefined => (eventType ? context.eventTypes?.get(eventType) : undefined);

function check(config: BusinessEventsSourceConfig, context: MeterContext, node: Parameters<typeof nodeError>[0]) {
  if (!config.eventType) {
    const how = context.eventTypes?.size ? 'choose a business event type.' : 'choose a business event type; this workspace has none yet: create a trigger under Custom events → Triggers first.';
    return [configError(node, how, ['eventType'])];
  }
  if (eventTypeOf(config.eventType, context)) return [];
  const hint = suggest(config.eventType, [...(context.eventTypes?.keys() ?? [])]);
  const didYouMean = hint.length ? ` Did you mean ${hint.join(' or ')}?` : '';
  return [
    nodeError(
      node,
      'EVENT_TYPE_NOT_FOUND',
      `${nodeName(node)}: there is no such event type “${config.eventType}” in this workspace (no trigger makes it).${didYouMean} Choose one from the list.`,
      ['eventType'],
    ),
  ];
}

export const businessEventsSourceSpec: NodeKindSpec<BusinessEventsSourceConfig> = {
  kind: 'source.businessEvents',
  category: 'source',
  label: KIND_LABELS['source.businessEvents'],
  description: 'Reads the business events of one event type (a trigger fired on an object change), in change-time order.',
  keywords: ['business', 'events', 'trigger', 'custom', 'object', 'change', 'cdc'],
  configSchema: businessEventsSourceConfigSchema,
  defaultConfig: () => ({ eventType: '' }),
  inputs: 0,
  outputs: 1,
  outputSchema: (config, _input, context) => {
    const type = eventTypeOf(config.eventType, context);
    return type ? businessEventFlowSchema(type.object) : { fields: [] };
  },
  check: (config, _input, context, node) => check(config, context, node),
  storeRefs: () => [],
  summary: (config, context) => {
    const type = eventTypeOf(config.eventType, context);
    return type ? `${type.eventType} (${type.object})` : 'No event type chosen';
  },
  createProcessor: () => passThrough(),
};
