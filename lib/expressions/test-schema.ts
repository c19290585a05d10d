import { BILLING_OBJECTS } from '@/lib/custom-events/object-model';
import type { EventSchema, ObjectChangeSchema } from '@/lib/expressions/schema';

/** Schemas for tests of the expression language: invoice changes, and a usage event. */
export const invoiceChanges: ObjectChangeSchema = { kind: 'objectChange', baseObject: 'Invoice', objects: BILLING_OBJECTS };
export const usageEvent: EventSchema = {
  kind: 'event',
  fields: [
    { name: 'customerId', type: 'string' },
    { name: 'units', type: 'integer' },
    { name: 'cost', type: 'number' },
    { name: 'billable', type: 'boolean' },
    { name: 'occurredAt', type: 'datetime' },
    { name: 'meta', type: 'json' },
  ],
};
