import { describe, expect, it } from 'vitest';
import { definitionFieldErrors, definitionInputSchema, updateDefinitionSchema } from '@/lib/event-definitions/definition-schema';

const field = (name: string, type = 'string', required = false, description = '') => ({ name, type, required, description });
const valid = () => ({
  name: 'API Call',
  description: 'One metered call.',
  fields: [field('requestId', 'string', true), field('occurredAt', 'datetime', true), field('units', 'integer')],
  eventIdField: 'requestId',
  eventTimeField: 'occurredAt',
});
const errorsOf = (overrides: Partial<ReturnType<typeof valid>> & Record<string, unknown>) => definitionFieldErrors({ ...valid(), ...overrides });

describe('definitionInputSchema', () => {
  it('accepts a valid definition, trimming names and defaulting descriptions', () => {
    const parsed = definitionInputSchema.parse({
      ...valid(),
      name: '  API Call ',
      fields: [{ name: ' requestId ', type: 'string', required: true }, field('occurredAt', 'datetime', true)],
    });
    expect(parsed.name).toBe('API Call');
    expect(parsed.fields[0]).toEqual({ name: 'requestId', type: 'string', required: true, description: '', indexed: false });
    expect(definitionFieldErrors(valid())).toBeNull();
  });

  it('accepts every field type and integer event ids', () => {
    const types = ['string', 'number', 'integer', 'boolean', 'datetime', 'json'];
    const fields = [field('id', 'integer', true), field('at', 'datetime', true), ...types.map((t) => field(`f_${t}`, t))];
    expect(errorsOf({ fields, eventIdField: 'id', eventTimeField: 'at' })).toBeNull();
  });

  it('requires a name of at most 80 characters and a description of at most 500', () => {
    expect(errorsOf({ name: '  ' })).toEqual({ name: ['Give the definition a name, e.g. “API Call”.'] });
    expect(errorsOf({ name: 'x'.repeat(81) })).toEqual({ name: ['Keep the name to 80 characters or fewer.'] });
    expect(errorsOf({ name: 'x'.repeat(80) })).toBeNull();
    expect(errorsOf({ description: 'x'.repeat(501) })).toEqual({ description: ['Keep the description to 500 characters or fewer.'] });
  });

  it('requires between 1 and 200 fields', () => {
    expect(errorsOf({ fields: [] })?.fields).toEqual(['Add at least one field: the event id and the event time are fields too.']);
    const many = [field('id', 'string', true), field('at', 'datetime', true), ...Array.from({ length: 199 }, (_, i) => field(`f${i}`))];
    expect(errorsOf({ fields: many, eventIdField: 'id', eventTimeField: 'at' })).toEqual({
      fields: ['A definition can have at most 200 fields. Split the events into two definitions.'],
    });
    expect(errorsOf({ fields: many.slice(0, 200), eventIdField: 'id', eventTimeField: 'at' })).toBeNull();
  });

  it('names the row of a field without a name, with too long a name or with an invalid one', () => {
    const withName = (name: string) => errorsOf({ fields: [...valid().fields, field(name)] });
    expect(withName('')).toEqual({ 'fields.3.name': ['Field 4: enter a name, e.g. “amount”.'] });
    expect(withName('a'.repeat(65))).toEqual({ 'fields.3.name': ['Field 4: keep the name to 64 characters or fewer.'] });
    expect(withName('a'.repeat(64))).toBeNull();
    for (const bad of ['2fast', 'unit-price', 'total amount', 'naïve']) {
      expect(withName(bad)).toEqual({
        'fields.3.name': [`Field 4: “${bad}” is not a valid name. Use letters, digits and “_”, starting with a letter or “_”.`],
      });
    }
    expect(withName('_private_1')).toBeNull();
  });

  it('refuses names every JavaScript object already has, which would read as present when missing', () => {
    const withName = (name: string) => errorsOf({ fields: [...valid().fields, field(name)] });
    expect(withName('__proto__')).toEqual({
      'fields.3.name': ['Field 4: “__proto__” is reserved (JavaScript gives every object a property of that name). Choose another name, e.g. “proto_name”.'],
    });
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'prototype']) expect(withName(name)).toHaveProperty(['fields.3.name']);
    expect(withName('Constructor')).toBeNull();
  });

  it('refuses a second field of the same name, ignoring case, and names the first', () => {
    const fields = [...valid().fields, field('Units')];
    expect(errorsOf({ fields })).toEqual({
      'fields.3.name': ['Field 4: a field named “units” already exists (field 3). Give each field its own name; case does not count.'],
    });
  });

  it('names the row of an unknown type and of too long a description', () => {
    expect(errorsOf({ fields: [...valid().fields, field('price', 'decimal')] })).toEqual({
      'fields.3.type': ['Field 4: choose a type: string, number, integer, boolean, datetime, json.'],
    });
    expect(errorsOf({ fields: [...valid().fields, field('price', 'number', false, 'x'.repeat(501))] })).toEqual({
      'fields.3.description': ['Field 4: keep the description to 500 characters or fewer.'],
    });
  });

  it('requires an event-id field that exists, is a string or integer, and is required', () => {
    expect(errorsOf({ eventIdField: '' })).toEqual({
      eventIdField: ['Choose the event-id field: a required string or integer field that identifies each event.'],
    });
    expect(errorsOf({ eventIdField: 'nope' })).toEqual({
      eventIdField: ['There is no field named “nope”. Choose the event-id field from this definition’s fields.'],
    });
    expect(errorsOf({ fields: [field('requestId', 'number', true), field('occurredAt', 'datetime', true)] })).toEqual({
      eventIdField: ['The event-id field “requestId” has type number; it must be string or integer. Choose another field or change field 1’s type.'],
    });
    expect(errorsOf({ fields: [field('requestId'), field('occurredAt', 'datetime', true)] })).toEqual({
      eventIdField: ['The event-id field “requestId” must be required, since every event needs an id. Tick “Required” on field 1.'],
    });
  });

  it('requires an event-time field that is a required datetime, and says a store needs one', () => {
    expect(errorsOf({ fields: [field('requestId', 'string', true), field('occurredAt', 'string', true)], eventTimeField: '' })).toEqual({
      eventTimeField: ['Add a required datetime field for the event time: a store cannot be created from a definition without one.'],
    });
    expect(errorsOf({ eventTimeField: '' })).toEqual({
      eventTimeField: ['Choose the event-time field: a required datetime field that says when each event happened.'],
    });
    expect(errorsOf({ eventTimeField: 'when' })).toEqual({
      eventTimeField: ['There is no field named “when”. Choose the event-time field from this definition’s fields.'],
    });
    expect(errorsOf({ fields: [...valid().fields, field('day', 'datetime', true)], eventTimeField: 'units' })).toEqual({
      eventTimeField: ['The event-time field “units” has type integer; it must be datetime. Choose another field or change field 3’s type.'],
    });
    expect(errorsOf({ fields: [field('requestId', 'string', true), field('occurredAt', 'datetime')] })).toEqual({
      eventTimeField: ['The event-time field “occurredAt” must be required, since every event needs a time. Tick “Required” on field 2.'],
    });
  });

  it('reports every problem at once', () => {
    const errors = errorsOf({ name: '', fields: [field('a-b'), field('x', 'money')], eventIdField: '', eventTimeField: '' });
    expect(Object.keys(errors ?? {}).sort()).toEqual(['eventIdField', 'eventTimeField', 'fields.0.name', 'fields.1.type', 'name']);
  });

  it('refuses malformed fields with a message', () => {
    expect(errorsOf({ fields: 'id,at' as never })).toEqual({ fields: ['Send the fields as a list.'] });
    expect(errorsOf({ fields: [{ name: 'id', type: 'string', required: 'yes' }] as never })?.['fields.0.required']).toEqual([
      'Say whether the field is required (true or false).',
    ]);
  });
});

describe('updateDefinitionSchema', () => {
  it('adds the id and an optional expected version to the same rules', () => {
    expect(updateDefinitionSchema.parse({ ...valid(), id: 'd1', expectedVersion: '3' })).toMatchObject({ id: 'd1', expectedVersion: 3 });
    expect(updateDefinitionSchema.safeParse({ ...valid(), id: 'd1', eventTimeField: '' }).success).toBe(false);
  });
});
