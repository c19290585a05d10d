import { describe, expect, it } from 'vitest';
import { compareDefinitions, type DefinitionShape } from '@/lib/event-definitions/definition-compatibility';
import type { FieldType } from '@/lib/event-definitions/definition-schema';

const field = (name: string, type: FieldType, required = false) => ({ name, type, required, description: '' });
const base: DefinitionShape = {
  eventIdField: 'requestId',
  eventTimeField: 'occurredAt',
  fields: [field('requestId', 'string', true), field('occurredAt', 'datetime', true), field('units', 'integer', true), field('region', 'string')],
};
const withFields = (fields: DefinitionShape['fields'], rest: Partial<DefinitionShape> = {}) => ({ ...base, ...rest, fields });

describe('compareDefinitions', () => {
  it('finds nothing breaking in an unchanged definition or in description edits', () => {
    expect(compareDefinitions(base, base)).toEqual({ compatible: true, breaking: [] });
    const described = withFields(base.fields.map((f) => ({ ...f, description: `about ${f.name}` })));
    expect(compareDefinitions(base, described)).toEqual({ compatible: true, breaking: [] });
  });

  it('allows adding optional fields, making a field optional and reordering fields', () => {
    const next = withFields([field('latencyMs', 'number'), ...[...base.fields].reverse().map((f) => (f.name === 'units' ? { ...f, required: false } : f))]);
    expect(compareDefinitions(base, next)).toEqual({ compatible: true, breaking: [] });
  });

  it('refuses removing a field, and treats a rename as a removal', () => {
    expect(compareDefinitions(base, withFields(base.fields.filter((f) => f.name !== 'region'))).breaking).toEqual(['removes field “region”']);
    const renamed = withFields(base.fields.map((f) => (f.name === 'region' ? { ...f, name: 'Region' } : f)));
    expect(compareDefinitions(base, renamed)).toEqual({ compatible: false, breaking: ['removes field “region”'] });
  });

  it('refuses changing a type, even to a wider one', () => {
    const next = withFields(base.fields.map((f) => (f.name === 'units' ? { ...f, type: 'number' as const } : f)));
    expect(compareDefinitions(base, next).breaking).toEqual(['changes “units” from integer to number']);
  });

  it('refuses making an optional field required and adding a required field', () => {
    const next = withFields([...base.fields.map((f) => (f.name === 'region' ? { ...f, required: true } : f)), field('tier', 'string', true)]);
    expect(compareDefinitions(base, next).breaking).toEqual(['makes “region” required', 'adds required field “tier”']);
  });

  it('refuses changing the event-id or the event-time field', () => {
    const fields = [...base.fields, field('callId', 'string', true), field('receivedAt', 'datetime', true)];
    expect(compareDefinitions({ ...base, fields }, withFields(fields, { eventIdField: 'callId', eventTimeField: 'receivedAt' })).breaking).toEqual([
      'changes the event-id field from “requestId” to “callId”',
      'changes the event-time field from “occurredAt” to “receivedAt”',
    ]);
  });

  it('lists every breaking change in field order', () => {
    const next = withFields([field('requestId', 'string', true), field('occurredAt', 'datetime', true), field('units', 'number', true)]);
    expect(compareDefinitions(base, next).breaking).toEqual(['changes “units” from integer to number', 'removes field “region”']);
  });
});
