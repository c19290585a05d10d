import { describe, expect, it } from 'vitest';
import { apiCallEvents, apiCallsStore, chain, edge, fiveStepMeter, meterContext, node } from '@/lib/meters/fixtures';
import type { MeterGraph } from '@/lib/meters/graph';
import { previewMeter } from '@/lib/meters/preview';
import { storeRefsOf } from '@/lib/meters/store-refs';

const context = meterContext();

describe('previewMeter', () => {
  it('counts records in and out of every node and along every edge, with the first rows', () => {
    const events = apiCallEvents(1000);
    const preview = previewMeter(fiveStepMeter(), context, { source: events });
    const billable = events.filter((e) => !e.test && (e.units as number) > 0);
    expect(preview.problems).toEqual([]);
    expect(preview.nodes.source).toMatchObject({ in: 1000, out: 1000, dropped: 0, rejected: 0 });
    expect(preview.nodes.filter).toMatchObject({ in: 1000, out: billable.length, dropped: 1000 - billable.length, rejected: 0 });
    expect(preview.nodes.map!.rows[0]).not.toHaveProperty('endpoint');
    expect(preview.nodes.map!.rows[0]).toHaveProperty('weighted');
    expect(preview.nodes.filter!.rows).toHaveLength(100);
    const customers = new Set(billable.map((e) => e.customerId));
    // 1,000 minutes from 22:00 UTC stay within one Berlin day: one row per customer.
    expect(preview.nodes.aggregate).toMatchObject({ in: billable.length, out: customers.size, dropped: 0 });
    expect(preview.nodes.target).toMatchObject({ in: customers.size, out: customers.size, rejected: 0 });
    expect(preview.edges).toEqual({
      'source-filter': { count: 1000 },
      'filter-map': { count: billable.length },
      'map-dedupe': { count: billable.length },
      'dedupe-aggregate': { count: billable.length },
      'aggregate-target': { count: customers.size },
    });
    const total = billable.reduce((sum, e) => sum + (e.units as number), 0);
    expect(preview.nodes.target!.rows.reduce((sum, r) => sum + (r.calls as number), 0)).toBe(total);
  });

  it('counts a Deduplicate’s repeats as dropped and lists rejections with reasons', () => {
    const events = [...apiCallEvents(20), { ...apiCallEvents(1)[0]!, occurredAt: 'never' }];
    const graph = chain([
      node('source', 'source.eventStore', { storeId: apiCallsStore.id }),
      node('dedupe', 'processor.deduplicate', { keys: ['customerId'], timeField: 'occurredAt', window: { amount: 1, unit: 'hour' } }),
      node('w', 'target.webhook', { url: 'https://example.com', batchSize: 10 }),
    ]);
    const preview = previewMeter(graph, context, { source: events });
    expect(preview.nodes.dedupe).toMatchObject({ in: 21, out: 7, dropped: 13, rejected: 1 });
    expect(preview.nodes.dedupe!.rejections[0]!.reason).toMatch(/“occurredAt” is missing or not a date and time/);
  });

  it('skips nodes with errors and what follows them, and previews the rest', () => {
    const graph: MeterGraph = {
      nodes: [
        node('source', 'source.eventStore', { storeId: apiCallsStore.id }),
        node('bad', 'processor.filter', { condition: 'unitz > 1' }),
        node('after', 'processor.filter', { condition: 'units > 1' }),
        node('good', 'processor.filter', { condition: 'units > 5' }),
        node('w1', 'target.webhook', { url: 'https://example.com/1', batchSize: 10 }),
        node('w2', 'target.webhook', { url: 'https://example.com/2', batchSize: 10 }),
      ],
      edges: [edge('source', 'bad'), edge('bad', 'after'), edge('after', 'w1'), edge('source', 'good'), edge('good', 'w2')],
    };
    const preview = previewMeter(graph, context, { source: apiCallEvents(50) });
    expect(Object.keys(preview.nodes).sort()).toEqual(['good', 'source', 'w2']);
    expect(Object.keys(preview.edges).sort()).toEqual(['good-w2', 'source-bad', 'source-good']);
    expect(preview.problems.map((p) => p.code)).toEqual(['EXPRESSION']);
  });

  it('takes at most 1,000 records of a sample and ignores samples of unknown nodes', () => {
    const graph = chain([node('source', 'source.eventStore', { storeId: apiCallsStore.id }), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 10 })]);
    const preview = previewMeter(graph, context, { source: apiCallEvents(1500), nobody: apiCallEvents(3), __proto__: apiCallEvents(2) } as never);
    expect(preview.nodes.source!.in).toBe(1000);
    expect(previewMeter(graph, context, {}).nodes.source!.in).toBe(0);
  });

  it('answers a graph that does not parse with its problem and nothing else', () => {
    expect(previewMeter({ nodes: 'x' }, context, {})).toEqual({ nodes: {}, edges: {}, problems: [expect.objectContaining({ code: 'GRAPH_INVALID' })] });
  });
});

describe('storeRefsOf', () => {
  it('lists each store once per role, from the nodes whose config parses', () => {
    const graph: MeterGraph = {
      nodes: [
        node('a', 'source.eventStore', { storeId: 's1' }),
        node('b', 'source.eventStore', { storeId: 's1' }),
        node('c', 'source.eventStore', { storeId: '' }),
        node('d', 'target.eventStore', { storeId: 's1', mapping: {} }),
        node('e', 'target.eventStore', { storeId: 's2', mapping: { x: 3 } }),
        node('f', 'target.usageRecords', { mapping: {} }),
      ],
      edges: [],
    };
    expect(storeRefsOf(graph)).toEqual([
      { storeId: 's1', role: 'source' },
      { storeId: 's1', role: 'target' },
    ]);
  });
});
