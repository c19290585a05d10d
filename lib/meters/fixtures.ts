import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { MeterEdge, MeterGraph, MeterNode, NodeKind } from '@/lib/meters/graph';
import type { MeterContext, MeterStoreInfo } from '@/lib/meters/kind-spec';

/**
 * Stores, graphs and events for the meters' tests and the bench: an API-calls store (the demo's shape) and a
 * daily-usage store to write to, builders for nodes and edges, a realistic 200-node meter and sample events.
 */
export const apiCallsStore: MeterStoreInfo = {
  id: 'store-api-calls',
  name: 'api-calls',
  definition: {
    id: 'def-api-call',
    name: 'API Call',
    version: 1,
    fields: [
      { name: 'eventId', type: 'string', required: true },
      { name: 'occurredAt', type: 'datetime', required: true },
      { name: 'customerId', type: 'string', required: true },
      { name: 'endpoint', type: 'string', required: false },
      { name: 'units', type: 'integer', required: true },
      { name: 'cost', type: 'number', required: false },
      { name: 'test', type: 'boolean', required: false },
    ],
    eventIdField: 'eventId',
    eventTimeField: 'occurredAt',
  },
};

export const dailyUsageStore: MeterStoreInfo = {
  id: 'store-daily-usage',
  name: 'daily-usage',
  definition: {
    id: 'def-daily-usage',
    name: 'Daily usage',
    version: 1,
    fields: [
      { name: 'id', type: 'string', required: true },
      { name: 'day', type: 'datetime', required: true },
      { name: 'customer', type: 'string', required: true },
      { name: 'calls', type: 'integer', required: true },
      { name: 'note', type: 'string', required: false },
    ],
    eventIdField: 'id',
    eventTimeField: 'day',
  },
};

export const meterContext = (...stores: MeterStoreInfo[]): MeterContext => ({
  stores: new Map((stores.length ? stores : [apiCallsStore, dailyUsageStore]).map((s) => [s.id, s])),
});

export const node = (id: string, kind: NodeKind, config: unknown, label = ''): MeterNode => ({ id, kind, label, position: { x: 0, y: 0 }, config });
export const edge = (source: string, target: string, id = `${source}-${target}`): MeterEdge => ({ id, source, sourcePort: 'out', target, targetPort: 'in' });
/** A graph of `nodes` joined in a chain, plus any extra edges. */
export const chain = (nodes: MeterNode[], extra: MeterEdge[] = []): MeterGraph => ({
  nodes,
  edges: [...nodes.slice(1).map((n, i) => edge(nodes[i]!.id, n.id)), ...extra],
});

/** A valid mapping of the API-calls flow (after the five-processor chain) onto daily-usage. */
export const dailyUsageMapping = { id: "customerId + '-' + windowStart", day: 'windowStart', customer: 'customerId', calls: 'calls' };

/** Event Store → Filter → Map → Deduplicate → Aggregate (daily per customer) → Event Store: every kind of processor. */
export function fiveStepMeter(): MeterGraph {
  return chain([
    node('source', 'source.eventStore', { storeId: apiCallsStore.id }),
    node('filter', 'processor.filter', { condition: '!test && units > 0' }, 'Billable calls'),
    node('map', 'processor.map', { keep: 'all', fields: [{ name: 'weighted', expression: 'units * 2' }], drop: ['endpoint'], rename: [] }),
    node('dedupe', 'processor.deduplicate', { keys: ['eventId'], timeField: 'occurredAt', window: { amount: 1, unit: 'hour' } }),
    node('aggregate', 'processor.aggregate', {
      groupBy: ['customerId'],
      timeField: 'occurredAt',
      window: { amount: 1, unit: 'day' },
      timeZone: 'Europe/Berlin',
      measures: [{ name: 'calls', fn: 'sum', field: 'units' }, { name: 'weight', fn: 'sum', field: 'weighted' }],
    }),
    node('target', 'target.eventStore', { storeId: dailyUsageStore.id, mapping: dailyUsageMapping }),
  ]);
}

/**
 * About `size` nodes as a large meter grows: a main chain of Filter and Map steps from one source, and every
 * few steps a branch (Filter → Map → Webhook) off it, each node with a real config and expressions.
 */
export function largeMeter(size = 200): MeterGraph {
  const nodes: MeterNode[] = [node('n0', 'source.eventStore', { storeId: apiCallsStore.id })];
  const edges: MeterEdge[] = [];
  let previous = 'n0';
  let i = 1;
  const add = (n: MeterNode, from: string) => {
    nodes.push(n);
    edges.push(edge(from, n.id));
  };
  while (nodes.length < size - 1) {
    const id = `n${i++}`;
    add(i % 2 ? node(id, 'processor.filter', { condition: `units > ${i} && customerId != 'test-${i}' && !test` }) : node(id, 'processor.map', { keep: 'all', fields: [{ name: `f${i}`, expression: `units * ${i} + cost` }], drop: [], rename: [] }), previous);
    previous = id;
    if (i % 5 === 0 && nodes.length < size - 4) {
      const b = `b${i}`;
      add(node(`${b}f`, 'processor.filter', { condition: `startsWith(customerId, 'C${i}') || units >= ${i}` }), id);
      add(node(`${b}m`, 'processor.map', { keep: 'listed', fields: [{ name: 'total', expression: 'units * cost' }], drop: [], rename: [{ from: 'customerId', to: 'account' }] }), `${b}f`);
      add(node(`${b}w`, 'target.webhook', { url: `https://hooks.example.com/${i}`, batchSize: 100 }), `${b}m`);
    }
  }
  add(node('end', 'target.webhook', { url: 'https://hooks.example.com/end', batchSize: 100 }), previous);
  return { nodes, edges };
}

/** `count` API-call events, in time order from `start`, one a minute, across a handful of customers. */
export function apiCallEvents(count: number, start = Date.UTC(2026, 9, 24, 22, 0)): FlowRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `e${i % Math.max(1, count - 10)}`,
    occurredAt: new Date(start + i * 60_000).toISOString(),
    customerId: `C${i % 7}`,
    endpoint: `/v1/items/${i % 13}`,
    units: i % 11,
    cost: (i % 5) * 0.25,
    test: i % 17 === 0,
  }));
}
