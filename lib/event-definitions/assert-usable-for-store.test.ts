import { describe, expect, it } from 'vitest';
import { assertDefinitionUsableForStore, NO_EVENT_TIME_FIELD } from '@/lib/event-definitions/assert-usable-for-store';
import { AppError } from '@/lib/errors';

const id = { name: 'id', type: 'string', required: true, description: '' };
const at = { name: 'at', type: 'datetime', required: true, description: '' };
const refusal = (definition: { fields: unknown; eventTimeField: string }) => {
  try {
    assertDefinitionUsableForStore({ name: 'Calls', ...definition });
    return null;
  } catch (error) {
    return error;
  }
};

describe('assertDefinitionUsableForStore', () => {
  it('lets a definition with a required datetime event-time field through', () => {
    expect(refusal({ fields: [id, at], eventTimeField: 'at' })).toBeNull();
  });

  it.each([
    ['no datetime field at all', { fields: [id], eventTimeField: 'at' }],
    ['an event-time field that does not exist', { fields: [id, at], eventTimeField: 'when' }],
    ['no event-time field named', { fields: [id, at], eventTimeField: '' }],
    ['an event-time field that is not a datetime', { fields: [id, { ...at, type: 'string' }], eventTimeField: 'at' }],
    ['an optional event-time field', { fields: [id, { ...at, required: false }], eventTimeField: 'at' }],
    ['fields that are not a list of fields', { fields: { at: 'datetime' }, eventTimeField: 'at' }],
  ])('refuses %s, on the definition field', (_case, definition) => {
    const error = refusal(definition);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'DEFINITION_WITHOUT_EVENT_TIME',
      status: 400,
      userMessage: 'The event definition “Calls” has no event-time field (a required datetime), so no store can be created from it.',
      fieldErrors: { definitionId: [NO_EVENT_TIME_FIELD] },
    });
    expect(NO_EVENT_TIME_FIELD).toBe('This definition has no event-time field (a required datetime). Edit it to add one, then create the store.');
  });
});
