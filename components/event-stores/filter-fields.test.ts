import { describe, expect, it } from 'vitest';
import { filterFieldLabel, filterFields, filterFieldSpeed } from '@/components/event-stores/filter-fields';

describe('the events filter’s fields', () => {
  const definition = [
    { name: 'customerId', type: 'string', indexed: true },
    { name: 'region', type: 'string' },
    { name: 'meta', type: 'json' },
    { name: 'units', type: 'integer', indexed: false },
  ];

  it('offers every field but json, marking the indexed ones', () => {
    const fields = filterFields(definition, new Map([['customerId', 'ready']]));
    expect(fields).toEqual([
      { name: 'customerId', indexed: true, index: 'ready' },
      { name: 'region', indexed: false, index: 'missing' },
      { name: 'units', indexed: false, index: 'missing' },
    ]);
    expect(fields.map(filterFieldLabel)).toEqual(['customerId · indexed', 'region', 'units']);
  });

  it('says a filter is slow while no valid index serves it: not indexed, or still being built', () => {
    expect(filterFieldSpeed({ name: 'a', indexed: true, index: 'ready' })).toBeNull();
    // Another definition's index on a field of the same name serves this store's filter too.
    expect(filterFieldSpeed({ name: 'a', indexed: false, index: 'ready' })).toBeNull();
    expect(filterFieldSpeed({ name: 'a', indexed: true, index: 'building' })).toBe('building');
    expect(filterFieldSpeed({ name: 'a', indexed: true, index: 'missing' })).toBe('building');
    expect(filterFieldSpeed({ name: 'a', indexed: false, index: 'building' })).toBe('building');
    expect(filterFieldSpeed({ name: 'a', indexed: false, index: 'missing' })).toBe('not-indexed');
  });
});
