import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { definitionFieldSchema, eventTimeProblem } from '@/lib/event-definitions/definition-schema';

export const NO_EVENT_TIME_FIELD = 'This definition has no event-time field (a required datetime). Edit it to add one, then create the store.';

/**
 * Refuses to create a store from a definition whose event-time field is missing, not a datetime or not
 * required: a store orders, replays and backfills its events by that time. The editor already refuses to
 * save such a definition; this guards rows written before that rule or by other paths.
 */
export function assertDefinitionUsableForStore(definition: { name: string; fields: unknown; eventTimeField: string }): void {
  const fields = z.array(definitionFieldSchema).safeParse(definition.fields);
  if (fields.success && !eventTimeProblem(fields.data, definition.eventTimeField)) return;
  throw new AppError(
    'DEFINITION_WITHOUT_EVENT_TIME',
    `The event definition “${definition.name}” has no event-time field (a required datetime), so no store can be created from it.`,
    { fieldErrors: { definitionId: [NO_EVENT_TIME_FIELD] } },
  );
}
