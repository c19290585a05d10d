import { afterAll, describe, expect, it } from 'vitest';
import { storesSuite } from '@/lib/bench/stores-suite';
import { SUITES } from '@/lib/bench/suites';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';

describe('stores suite', () => {
  afterAll(() => closePool());

  it('is registered', () => {
    expect(SUITES.map((s) => s.name)).toContain('stores');
  });

  it('loads the big store, checks what the page shows against it, reports the figures and deletes its rows', async () => {
    const before = await getPool().query(`SELECT count(*)::int AS n FROM workspaces WHERE slug LIKE 'bench-stores-%'`);
    const figures = await storesSuite({ events: 2_500, loadBatch: 1_000, runs: 1 }).run({
      pool: getPool(),
      prisma: getPrisma(),
      embedded: false,
      log: () => undefined,
    });
    expect(figures.map((f) => [f.suite, f.name, f.unit])).toEqual([
      ['stores', 'load', 'events/s'],
      ['stores', 'page-data', 'ms'],
      ['stores', 'empty-filter', 'ms'],
    ]);
    for (const figure of figures) expect(figure.value).toBeGreaterThan(0);
    expect(figures[1]!.note).toMatch(/^median of 1 runs; target under 50 ms: (met|NOT MET)$/);
    const after = await getPool().query(`SELECT count(*)::int AS n FROM workspaces WHERE slug LIKE 'bench-stores-%'`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
