import { describe, expect, it } from 'vitest';
import { connectionProblem } from '@/lib/meters/connection';
import { apiCallsStore, chain, edge, node } from '@/lib/meters/fixtures';
import { validateMeter } from '@/lib/meters/validate';

const graph = chain([
  node('s', 'source.eventStore', { storeId: apiCallsStore.id }),
  node('f', 'processor.filter', { condition: 'units > 0' }, 'Billable'),
  node('m', 'processor.map', { keep: 'all', fields: [], drop: [], rename: [] }),
  node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 }),
]);

describe('connectionProblem', () => {
  it('allows what validates and refuses what validateMeter would report, saying why', () => {
    expect(connectionProblem(graph, 's', 'm')).toBeNull();
    expect(connectionProblem(graph, 'w', 'f')).toBe('Webhook is a target: nothing flows out of it.');
    expect(connectionProblem(graph, 'f', 's')).toBe('Event Store source is a source: nothing flows into it.');
    expect(connectionProblem(graph, 'f', 'f')).toBe('Filter “Billable” cannot be connected to itself.');
    expect(connectionProblem(graph, 's', 'f')).toBe('Event Store source is already connected to Filter “Billable”.');
    expect(connectionProblem(graph, 'm', 'f')).toBe('Connecting Map to Filter “Billable” would make a cycle: Filter “Billable” already feeds Map.');
    expect(connectionProblem(graph, 's', 'ghost')).toBe('Both ends of a connection must be nodes of this meter.');
    // Every refused connection is one validateMeter reports once drawn anyway; the allowed one is not.
    for (const [from, to] of [['w', 'f'], ['f', 's'], ['f', 'f'], ['m', 'f']] as const) {
      const problems = validateMeter({ ...graph, edges: [...graph.edges, edge(from, to, 'new')] }, { stores: new Map([[apiCallsStore.id, apiCallsStore]]) });
      expect(problems.some((p) => p.code === 'EDGE_INVALID' || p.code === 'CYCLE'), `${from} → ${to}`).toBe(true);
    }
    const allowed = validateMeter({ ...graph, edges: [...graph.edges, edge('s', 'm', 'new')] }, { stores: new Map([[apiCallsStore.id, apiCallsStore]]) });
    expect(allowed.map((p) => [p.code, p.severity])).toEqual([['PARALLEL_PATHS_WITHOUT_DEDUPLICATE', 'warning']]);
  });
});
