import type { DefinitionShape, ValidEvent } from '@/lib/event-store/record-validation';

/** The bench's event definition: a usage event of a handful of typed fields, about 400 bytes as JSON. */
export const BENCH_DEFINITION: Omit<DefinitionShape, 'name'> = {
  eventIdField: 'id',
  eventTimeField: 'at',
  fields: [
    { name: 'id', type: 'string', required: true, description: 'Event id' },
    { name: 'at', type: 'datetime', required: true, description: 'When the usage happened' },
    // Indexed for filters, as a team would mark the field it filters stores on: every write pays for it.
    { name: 'customerId', type: 'string', required: true, description: 'Billed customer', indexed: true },
    { name: 'subscriptionId', type: 'string', required: true, description: 'Subscription' },
    { name: 'product', type: 'string', required: true, description: 'Product code' },
    { name: 'region', type: 'string', required: true, description: 'Where it ran' },
    { name: 'units', type: 'integer', required: true, description: 'Quantity' },
    { name: 'amount', type: 'number', required: true, description: 'Rated amount' },
    { name: 'billable', type: 'boolean', required: true, description: 'Counts towards the invoice' },
    { name: 'endpoint', type: 'string', required: false, description: 'Called resource' },
    { name: 'userAgent', type: 'string', required: false, description: 'Client' },
    { name: 'tags', type: 'json', required: false, description: 'Free-form labels' },
  ],
};

/** Event times are spread over the 90 days from this instant. */
export const BENCH_START = new Date('2026-01-01T00:00:00.000Z');
export const BENCH_SPAN_MS = 90 * 24 * 3600 * 1000;
export const BENCH_END = new Date(BENCH_START.getTime() + BENCH_SPAN_MS);

const PRODUCTS = ['api.requests', 'storage.gb_hours', 'compute.vcpu_seconds', 'egress.gb', 'seats.active'];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'eu-central-1', 'us-west-2'];
const AGENTS = ['billing-gateway/4.2.1 (linux; x64) node/20.19.0', 'meter-agent/1.9.0 (darwin; arm64) go/1.23.4'];
const TEAMS = ['payments', 'platform', 'growth', 'data'];

/** A 32-bit integer hash of n (the "lowbias32" mixer): the same index always gives the same event. */
function mix(n: number): number {
  let x = n >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Event number `i` as a client would send it: deterministic, about 400 bytes of JSON. */
export function benchRecord(i: number): Record<string, unknown> {
  const h = mix(i);
  const g = mix(i ^ 0x9e3779b9);
  const units = 1 + (h % 500);
  return {
    id: `evt-${String(i).padStart(10, '0')}`,
    // Not in time order: clients send late and out-of-order events.
    at: new Date(BENCH_START.getTime() + (g % (BENCH_SPAN_MS / 1000)) * 1000 + (h % 1000)).toISOString(),
    customerId: `CUST-${String(h % 5000).padStart(5, '0')}`,
    subscriptionId: `sub_${g.toString(16).padStart(8, '0')}${h.toString(16).padStart(8, '0')}`,
    product: PRODUCTS[h % PRODUCTS.length],
    region: REGIONS[g % REGIONS.length],
    units,
    amount: Math.round(units * (1 + (g % 97))) / 100,
    billable: h % 10 !== 0,
    endpoint: `/v1/projects/prj_${(g % 100_000).toString(36)}/resources/res_${(h % 1_000_000).toString(36)}/usage`,
    userAgent: AGENTS[g % AGENTS.length],
    tags: { env: h % 4 === 0 ? 'staging' : 'production', team: TEAMS[g % TEAMS.length], tier: g % 3 === 0 ? 'enterprise' : 'standard' },
  };
}

/** Events first..first+count-1 as the data plane receives them after validation. */
export function benchEvents(first: number, count: number): ValidEvent[] {
  const events: ValidEvent[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const payload = benchRecord(first + k);
    events[k] = { eventId: payload.id as string, eventTime: new Date(payload.at as string), payload };
  }
  return events;
}

/** The same events as an NDJSON request body, one event per line. */
export function benchNdjson(first: number, count: number): string {
  const lines: string[] = new Array(count);
  for (let k = 0; k < count; k++) lines[k] = JSON.stringify(benchRecord(first + k));
  return `${lines.join('\n')}\n`;
}
