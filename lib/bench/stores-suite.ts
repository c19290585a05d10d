import { createBenchWorkspace } from '@/lib/bench/bench-workspace';
import { BENCH_SPAN_MS, BENCH_START } from '@/lib/bench/generate-events';
import type { BenchContext, Figure, Suite } from '@/lib/bench/types';
import { eventHistogram } from '@/lib/event-store/event-histogram';
import { getStore } from '@/lib/event-store/get-store';
import { listStores } from '@/lib/event-store/list-stores';
import { browseEvents } from '@/lib/event-store/scan-events';
import { maintainEvents } from '@/lib/event-store/filter-indexes';

export interface StoresSizes {
  /** Events in the one big store. */
  events: number;
  /** Events per INSERT statement while loading (each statement's triggers fold its rows into the stats). */
  loadBatch: number;
  /** Timed runs of each figure after one warm-up; the median is reported. */
  runs: number;
}

export const STORES_SIZES: StoresSizes = { events: 5_000_000, loadBatch: 100_000, runs: 5 };

const SUITE = 'stores';
const TARGET_MS = 50;

/**
 * Suite `stores`: what a store page costs when the store is big. Loads one store of `events` events of about
 * 400 bytes with set-based INSERT … SELECT generate_series statements (the maintained stats are kept by the
 * same triggers as on every write path), then reports `page-data` (ms for everything the store page shows:
 * the store and its definition, count and span, the chart's buckets, the first page of events; plus the
 * stores list) and `empty-filter` (ms for a first page whose payload filter matches nothing). Targets: under
 * 50 ms each. `load` reports the fixture's speed in events/s.
 */
export function storesSuite(options: Partial<StoresSizes> = {}): Suite {
  const sizes: StoresSizes = { ...STORES_SIZES, ...options };
  return {
    name: SUITE,
    description: `one store of ${sizes.events.toLocaleString('en')} events of about 400 bytes: the store page's reads`,
    async run(context) {
      const fixture = await createFixture(context);
      try {
        const load = await loadBenchEvents(context, SUITE, fixture.storeId, sizes);
        const pageData = await medianMs(context, 'page-data', sizes.runs, async () => {
          const [summary] = await Promise.all([
            getStore(fixture.workspaceId, fixture.storeId),
            browseEvents(context.pool, fixture.storeId, { limit: 50, direction: 'desc' }),
            listStores(fixture.workspaceId),
          ]);
          if (summary.eventCount !== sizes.events) throw new Error(`stores: the page counts ${summary.eventCount} events, expected ${sizes.events}`);
          const chart = await eventHistogram(context.pool, fixture.storeId, { earliest: summary.earliest!, latest: summary.latest! });
          if (chart.buckets.reduce((n, b) => n + b.count, 0) !== sizes.events) throw new Error('stores: the chart does not add up to the store');
        });
        const emptyFilter = await medianMs(context, 'empty-filter', sizes.runs, async () => {
          const page = await browseEvents(context.pool, fixture.storeId, { limit: 50, direction: 'desc', where: { customerId: 'NO-SUCH-CUSTOMER' } });
          if (page.rows.length !== 0) throw new Error('stores: the empty filter matched events');
        });
        return [load, pageData, emptyFilter];
      } finally {
        const started = performance.now();
        await context.pool.query('DELETE FROM workspaces WHERE id = $1', [fixture.workspaceId]);
        context.log(`${SUITE}: deleting the store took ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  };
}

async function createFixture({ prisma }: BenchContext): Promise<{ workspaceId: string; storeId: string }> {
  const { workspace, definition } = await createBenchWorkspace(prisma, 'bench-stores', 'Bench stores');
  const store = await prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: definition.id, name: 'bench-big-store' } });
  return { workspaceId: workspace.id, storeId: store.id };
}

// Events shaped like benchRecord (lib/bench/generate-events.ts), about 400 bytes, spread over its 90 days:
// $1 store, $2 start, $3 span in seconds, $4..$5 the event numbers. The replay suite loads its source with it too.
export const LOAD_SQL = `
  INSERT INTO events (store_id, event_id, event_time, payload)
  SELECT $1::uuid, id, t, jsonb_build_object(
           'id', id, 'at', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'customerId', 'CUST-' || lpad((h % 5000)::text, 5, '0'),
           'subscriptionId', 'sub_' || lpad(to_hex(g), 8, '0') || lpad(to_hex(h), 8, '0'),
           'product', (ARRAY['api.requests', 'storage.gb_hours', 'compute.vcpu_seconds', 'egress.gb', 'seats.active'])[1 + h % 5],
           'region', (ARRAY['eu-west-1', 'us-east-1', 'ap-southeast-2', 'eu-central-1', 'us-west-2'])[1 + g % 5],
           'units', 1 + h % 500, 'amount', round((1 + h % 500) * (1 + g % 97) / 100.0, 2), 'billable', h % 10 <> 0,
           'endpoint', '/v1/projects/prj_' || (g % 100000) || '/resources/res_' || (h % 1000000) || '/usage',
           'userAgent', (ARRAY['billing-gateway/4.2.1 (linux; x64) node/20.19.0', 'meter-agent/1.9.0 (darwin; arm64) go/1.23.4'])[1 + g % 2],
           'tags', jsonb_build_object('env', CASE WHEN h % 4 = 0 THEN 'staging' ELSE 'production' END,
                                      'team', (ARRAY['payments', 'platform', 'growth', 'data'])[1 + g % 4],
                                      'tier', CASE WHEN g % 3 = 0 THEN 'enterprise' ELSE 'standard' END))
    FROM (SELECT 'evt-' || lpad(i::text, 10, '0') AS id, h, g,
                 $2::timestamptz + make_interval(secs => (g % $3) + (h % 1000) / 1000.0) AS t
            FROM (SELECT i, abs(hashint4(i)::bigint) AS h, abs(hashint4(-i)::bigint) AS g FROM generate_series($4::int, $5::int) AS i) AS n) AS e`;

/**
 * Loads `sizes.events` events (LOAD_SQL: evt-0000000000 …, over the bench's 90 days) into a store in
 * statements of `sizes.loadBatch`, then ANALYZE; the `load` figure of `suite` in events/s.
 */
export async function loadBenchEvents(context: BenchContext, suite: string, storeId: string, sizes: { events: number; loadBatch: number }): Promise<Figure> {
  const started = performance.now();
  for (let first = 0; first < sizes.events; first += sizes.loadBatch) {
    const last = Math.min(sizes.events, first + sizes.loadBatch) - 1;
    await context.pool.query(LOAD_SQL, [storeId, BENCH_START, BENCH_SPAN_MS / 1000, first, last]);
    if ((last + 1) % 1_000_000 === 0) context.log(`${suite}: loaded ${(last + 1).toLocaleString('en')} events`);
  }
  const seconds = (performance.now() - started) / 1000;
  await maintainEvents(context.pool, 'ANALYZE');
  const value = Math.round(sizes.events / seconds);
  context.log(`${suite}: load: ${sizes.events.toLocaleString('en')} events in ${seconds.toFixed(1)} s = ${value.toLocaleString('en')} events/s`);
  return { suite, name: 'load', value, unit: 'events/s', note: `the fixture: set-based INSERT … SELECT of ${sizes.loadBatch.toLocaleString('en')} events a statement, stats kept by the triggers, in ${seconds.toFixed(0)} s` };
}

/** The median of timings in ms, to 0.1 ms. */
export function medianOf(times: number[]): number {
  return Math.round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]! * 10) / 10;
}

/** The median of `runs` timed runs after one warm-up, in ms, with a note saying whether it is under the target. */
async function medianMs(context: BenchContext, name: string, runs: number, work: () => Promise<void>): Promise<Figure> {
  await work();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  const value = medianOf(times);
  context.log(`${SUITE}: ${name}: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
  return { suite: SUITE, name, value, unit: 'ms', note: `median of ${runs} runs; target under ${TARGET_MS} ms: ${value < TARGET_MS ? 'met' : 'NOT MET'}` };
}
