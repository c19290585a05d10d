import { describe, expect, it } from 'vitest';
import { NODE_KINDS } from '@/lib/meters/graph';
import { matchingKinds } from './quick-add';

describe('quick-add search', () => {
  it('puts kinds whose name matches before those matched only by their description', () => {
    expect(matchingKinds('webhook')[0]?.kind).toBe('target.webhook');
  });

  it('needs every word typed, and lists every kind for an empty search', () => {
    expect(matchingKinds('event store target').map((s) => s.kind)).toEqual(['target.eventStore']);
    expect(matchingKinds('')).toHaveLength(NODE_KINDS.length);
    expect(matchingKinds('business trigger').map((s) => s.kind)).toEqual(['source.businessEvents']);
  });
});
