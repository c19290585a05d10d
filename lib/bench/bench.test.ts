import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_DEFINITION, BENCH_END, BENCH_START, benchEvents, benchNdjson, benchRecord } from '@/lib/bench/generate-events';
import { dropReferencingTable, ingestSuite, type IngestFixture } from '@/lib/bench/ingest-suite';
import { SUITES } from '@/lib/bench/suites';
import type { BenchContext } from '@/lib/bench/types';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { isRejection, makeRecordValidator } from '@/lib/event-store/record-validation';
import { makeDefinition, makeStore, makeTenant } from '@/lib/testing/factories';

const SIZES = { events: 300, appendBatch: 128, createManyEvents: 50, restRequests: 2, restLinesPerRequest: 40, scanPage: 70 };

function benchContext(): BenchContext {
  return { pool: getPool(), prisma: getPrisma(), embedded: false, log: () => undefined };
}

async function countsByStore(fixture: IngestFixture) {
  const { rows } = await getPool().query<{ store_id: string; n: number }>(
    `SELECT store_id, count(*)::int AS n FROM events WHERE store_id = ANY($1::uuid[]) GROUP BY store_id`,
    [Object.values(fixture.stores)],
  );
  return Object.fromEntries(Object.entries(fixture.stores).map(([path, id]) => [path, rows.find((r) => r.store_id === id)?.n ?? 0]));
}

describe('bench events', () => {
  it('are deterministic, about 400 bytes, inside the 90 days, and valid for the bench definition', () => {
    expect(benchRecord(12_345)).toEqual(benchRecord(12_345));
    expect(benchRecord(1)).not.toEqual(benchRecord(2));
    const validate = makeRecordValidator({ name: 'bench-usage', ...BENCH_DEFINITION }, { textual: false });
    const lines = benchNdjson(0, 1000).trimEnd().split('\n');
    const average = lines.reduce((sum, line) => sum + line.length, 0) / lines.length;
    expect(average).toBeGreaterThan(350);
    expect(average).toBeLessThan(450);
    benchEvents(0, 1000).forEach((event, i) => {
      expect(event.eventTime >= BENCH_START && event.eventTime < BENCH_END).toBe(true);
      // What the REST route stores after validation is what append stores.
      expect(validate(JSON.parse(lines[i]!), i + 1)).toEqual(event);
    });
    expect(lines.every((line, i) => !isRejection(validate(JSON.parse(line), i + 1)))).toBe(true);
  });
});

describe('ingest suite', () => {
  afterAll(() => closePool());

  it('is registered', () => {
    expect(SUITES.map((s) => s.name)).toContain('ingest');
  });

  it('drops its COPY table without a deadlock while a store is being deleted (event_stores, then the table)', async () => {
    const pool = getPool();
    const tenant = await makeTenant();
    const definition = await makeDefinition(tenant.workspace.id);
    const store = await makeStore(tenant.workspace.id, definition.id);
    const table = `bench_copy_limit_${randomUUID().slice(0, 8)}`;
    await pool.query(`CREATE TABLE ${table} (LIKE events INCLUDING DEFAULTS)`);
    await pool.query(`ALTER TABLE ${table} ADD FOREIGN KEY (store_id) REFERENCES event_stores (id) ON DELETE CASCADE`);
    // A deletion of the store that has started (it holds event_stores) and cascades into the table a moment later.
    const deleting = await pool.connect();
    try {
      await deleting.query('BEGIN');
      await deleting.query('UPDATE event_stores SET name = name WHERE id = $1', [store.id]);
      const dropped = dropReferencingTable(pool, table);
      // The drop waits for event_stores (a lock not yet granted) before the store's deletion goes on.
      for (let i = 0; i < 100; i++) {
        const { rows } = await pool.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted AND relation = 'event_stores'::regclass`);
        if (rows[0]!.waiting > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await deleting.query('DELETE FROM event_stores WHERE id = $1', [store.id]);
      await deleting.query('COMMIT');
      await dropped;
    } finally {
      deleting.release();
    }
    expect((await pool.query(`SELECT to_regclass($1) AS t`, [table])).rows[0].t).toBeNull();
  });

  it('writes every event by each path, reads them back, reports the figures and deletes its rows', async () => {
    const context = benchContext();
    let fixture: IngestFixture | undefined;
    let landed: Record<string, number> = {};
    const figures = await ingestSuite({
      ...SIZES,
      beforeCleanup: async (f) => {
        fixture = f;
        landed = await countsByStore(f);
      },
    }).run(context);

    expect(landed).toEqual({ append: 300, createMany: 50, rest: 80 });
    expect(figures.map((f) => [f.suite, f.name, f.unit])).toEqual(
      ['append', 'copy-limit', 'prisma-createMany', 'rest-ndjson', 'scan'].map((name) => ['ingest', name, 'events/s']),
    );
    // Every figure is measured, on the embedded database too (copy-limit included: it is a real server).
    for (const figure of figures) {
      expect(Number.isInteger(figure.value) && figure.value! > 0).toBe(true);
      expect(figure.target !== undefined).toBe(['append', 'rest-ndjson', 'scan'].includes(figure.name));
    }
    const append = figures.find((f) => f.name === 'append')!;
    expect(append.target!.min).toBe(Math.max(40_000, Math.round(0.8 * figures[1]!.value!)));

    // Nothing of the bench is left behind: its workspace (and with it stores and events) and the COPY table.
    const pool = getPool();
    expect(await countsByStore(fixture!)).toEqual({ append: 0, createMany: 0, rest: 0 });
    expect((await pool.query('SELECT 1 FROM workspaces WHERE id = $1', [fixture!.workspaceId])).rowCount).toBe(0);
    expect((await pool.query(`SELECT 1 FROM pg_tables WHERE tablename LIKE 'bench_copy_limit_%'`)).rowCount).toBe(0);
  });

  it('reports rest-ndjson as skipped while the route does not exist', async () => {
    const figures = await ingestSuite({ ...SIZES, events: 20, createManyEvents: 5, routeFile: 'app/api/missing/route.ts' }).run(benchContext());
    expect(figures.find((f) => f.name === 'rest-ndjson')).toMatchObject({ value: null, note: expect.stringContaining('awaits the REST ingest route') });
  });
});
