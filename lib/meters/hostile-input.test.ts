import { describe, expect, it } from 'vitest';
import { apiCallsStore, chain, dailyUsageStore, edge, meterContext, node } from '@/lib/meters/fixtures';
import { MAX_NODES, type MeterGraph } from '@/lib/meters/graph';
import { previewMeter } from '@/lib/meters/preview';
import { analyzeMeter, validateMeter } from '@/lib/meters/validate';
import { cpuMsSince } from '@/lib/testing/cpu-time';

const context = meterContext();

describe('hostile input', () => {
  it('answers junk with one GRAPH_INVALID problem, never a throw', () => {
    const junk: unknown[] = [null, undefined, 42, 'graph', [], {}, { nodes: [], edges: 'x' }, { nodes: [{ id: 'a' }], edges: [] }, { nodes: [node('a', 'processor.filter', {})], edges: [edge('a', 'ghost')] }];
    for (const input of junk) {
      const problems = validateMeter(input, context);
      expect(problems, JSON.stringify(input)).toHaveLength(1);
      expect(problems[0]).toMatchObject({ code: 'GRAPH_INVALID', severity: 'error', nodeIds: [], edgeIds: [] });
      expect(problems[0]!.message).toMatch(/^The meter could not be read: .+\. Reload the editor/);
    }
    const unknownKind = validateMeter({ nodes: [{ ...node('a', 'processor.filter', {}), kind: 'processor.sql' }], edges: [] }, context);
    expect(unknownKind[0]!.message).toMatch(/nodes\.0\.kind/);
  });

  it('refuses more than the node limit, and handles the limit itself quickly', () => {
    const nodes = Array.from({ length: MAX_NODES + 1 }, (_, i) => node(`n${i}`, 'processor.filter', { condition: 'units > 1' }));
    expect(validateMeter({ nodes, edges: [] }, context).map((p) => p.code)).toEqual(['GRAPH_INVALID']);
    const big = chain([node('s', 'source.eventStore', { storeId: apiCallsStore.id }), ...nodes.slice(0, MAX_NODES - 2), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 })]);
    const started = process.cpuUsage();
    expect(validateMeter(big, context)).toEqual([]);
    expect(cpuMsSince(started)).toBeLessThan(2_000);
  });

  it('survives a 500-node cycle and a deep chain without recursion limits', () => {
    const nodes = Array.from({ length: MAX_NODES }, (_, i) => node(`n${i}`, 'processor.filter', { condition: 'units > 1' }));
    const ring: MeterGraph = { nodes, edges: nodes.map((n, i) => edge(n.id, nodes[(i + 1) % nodes.length]!.id)) };
    const cycle = validateMeter(ring, context).find((p) => p.code === 'CYCLE')!;
    expect(cycle.nodeIds).toHaveLength(MAX_NODES);
  });

  it('reports deep or oversized configs as problems on their node', () => {
    let deep: unknown = 'units > 1';
    for (let i = 0; i < 5_000; i++) deep = { condition: deep };
    const graph = chain([node('s', 'source.eventStore', { storeId: apiCallsStore.id }), node('f', 'processor.filter', { condition: { a: [[[[{}]]]] } }), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 })]);
    expect(validateMeter(graph, context).map((p) => [p.code, p.nodeIds])).toEqual([['CONFIG_INVALID', ['f']]]);
    // Past the config size limit the graph itself is refused (its schema stringifies each config once).
    graph.nodes[1]!.config = { condition: 'x'.repeat(70_000) };
    expect(validateMeter(graph, context).map((p) => p.code)).toEqual(['GRAPH_INVALID']);
    graph.nodes[1]!.config = JSON.parse(JSON.stringify({ condition: 'units > 1', extra: { nested: Array(100).fill({ a: 1 }) } }));
    expect(validateMeter(graph, context)).toEqual([]);
    expect(() => validateMeter({ nodes: [node('f', 'processor.filter', deep)], edges: [] }, context)).not.toThrow();
  });

  it('keeps __proto__ and constructor away from prototypes, as field names and as config keys', () => {
    const hostileFields = JSON.parse(
      '{"fileName":"a.csv","format":"csv","fields":[{"name":"__proto__","type":"string","required":true},{"name":"constructor","type":"json"},{"name":"ok","type":"string"}],"__proto__":{"polluted":true}}',
    ) as unknown;
    const file = validateMeter(chain([node('f', 'source.fileUpload', hostileFields), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 })]), context);
    expect(file.map((p) => [p.code, p.configPath])).toEqual([
      ['CONFIG_INVALID', ['fields', 0, 'name']],
      ['CONFIG_INVALID', ['fields', 1, 'name']],
    ]);
    expect(file[0]!.message).toMatch(/reserved/);

    const mapping = JSON.parse('{"__proto__":{"polluted":"x"},"constructor":"customerId","toString":"customerId","id":"customerId","day":"occurredAt","customer":"customerId","calls":"units"}') as unknown;
    const target = validateMeter(
      chain([node('s', 'source.eventStore', { storeId: apiCallsStore.id }), node('t', 'target.eventStore', { storeId: dailyUsageStore.id, mapping })]),
      context,
    );
    expect(target.map((p) => p.message)).toEqual([
      'Event Store target: maps “constructor”, which store “daily-usage” does not have. Remove that row.',
      'Event Store target: maps “toString”, which store “daily-usage” does not have. Remove that row.',
    ]);

    const rename = validateMeter(
      chain([
        node('s', 'source.eventStore', { storeId: apiCallsStore.id }),
        node('m', 'processor.map', { keep: 'all', drop: ['__proto__'], rename: [{ from: 'constructor', to: 'prototype' }], fields: [{ name: 'hasOwnProperty', expression: '1' }] }),
        node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 }),
      ]),
      context,
    );
    expect(rename.map((p) => p.configPath)).toEqual([
      ['fields', 0, 'name'],
      ['rename', 0, 'to'],
    ]);

    const samples = JSON.parse('{"s":[{"eventId":"e","occurredAt":"2026-01-01T00:00:00Z","customerId":"c","units":1,"__proto__":{"polluted":true}}]}') as never;
    const graph = chain([node('s', 'source.eventStore', { storeId: apiCallsStore.id }), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 })]);
    expect(previewMeter(graph, context, samples).nodes.w!.out).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(analyzeMeter(graph, context).schemas.s!.output.fields.map((f) => f.name)).not.toContain('__proto__');
  });
});
