import type { EventSchema } from '@/lib/expressions';
import type { FieldType } from '@/lib/event-definitions/definition-schema';

/**
 * The shape of the records that flow along an edge: named, typed fields. Types are the event
 * definitions' field types, so a flow into an Event Store target compares one to one with the store's
 * definition. Each node kind computes its output schema from its input schemas (kinds/), which is how
 * downstream panels offer real field names and how expressions are analyzed against what reaches them.
 */
export interface FlowField {
  name: string;
  type: FieldType;
  /** True when every record carries the field (a required definition field, a group-by key). */
  required: boolean;
  description?: string;
}

export interface FlowSchema {
  fields: FlowField[];
}

/** A record on an edge: field name to value. Datetimes travel as ISO 8601 strings in UTC. */
export type FlowRecord = Record<string, unknown>;

export const emptyFlowSchema = (): FlowSchema => ({ fields: [] });

/** The expression language's view of a flow: fields read by name. */
export const expressionSchemaOf = (flow: FlowSchema): EventSchema => ({
  kind: 'event',
  fields: flow.fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
});
