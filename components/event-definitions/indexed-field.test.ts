import { describe, expect, it } from 'vitest';
import { INDEXED_HELP, notIndexableReason, retype, tooManyIndexed } from '@/components/event-definitions/indexed-field';
import { definitionFieldErrors, FIELD_TYPES, INDEXABLE_TYPES, MAX_INDEXED_FIELDS } from '@/lib/event-definitions/definition-schema';

const field = (name: string, type: string, indexed: boolean) => ({ name, type, required: true, description: '', indexed });
const definition = (fields: ReturnType<typeof field>[]) => ({ name: 'Calls', fields, eventIdField: 'id', eventTimeField: 'at' });

describe('the editor’s indexed checkbox', () => {
  it('is disabled, with a reason, exactly for the types the server refuses to index', () => {
    for (const type of FIELD_TYPES) {
      expect(notIndexableReason(type) === null).toBe(INDEXABLE_TYPES.includes(type));
      const refused = definitionFieldErrors(definition([field('id', 'string', false), field('at', 'datetime', false), field('x', type, true)]));
      expect(Boolean(refused?.['fields.2.indexed'])).toBe(notIndexableReason(type) !== null);
    }
    expect(notIndexableReason('json')).toBe('A json field cannot be indexed: filters match text, numbers, booleans and times.');
  });

  it('loses its tick when the row changes to a type that cannot be indexed, and keeps it otherwise', () => {
    expect(retype({ indexed: true }, 'json')).toEqual({ type: 'json', indexed: false });
    expect(retype({ indexed: true }, 'integer')).toEqual({ type: 'integer', indexed: true });
    expect(retype({}, 'string')).toEqual({ type: 'string', indexed: false });
  });

  it('counts too many ticks as the server does, whose error is at `fields`', () => {
    const rows = (n: number) => [field('id', 'string', true), field('at', 'datetime', false), ...Array.from({ length: n - 1 }, (_, i) => field(`f${i}`, 'integer', true))];
    expect(tooManyIndexed(rows(MAX_INDEXED_FIELDS))).toBe(false);
    expect(definitionFieldErrors(definition(rows(MAX_INDEXED_FIELDS)))).toBeNull();
    expect(tooManyIndexed(rows(MAX_INDEXED_FIELDS + 1))).toBe(true);
    expect(definitionFieldErrors(definition(rows(MAX_INDEXED_FIELDS + 1)))?.fields?.[0]).toMatch(/^6 fields are indexed; at most 5 may be/);
    expect(INDEXED_HELP).toBe('Indexed fields keep filters fast on big stores; each costs a little on every write (at most 5).');
  });
});
