import { afterAll, describe, expect, it } from 'vitest';
import { backfillSuite } from '@/lib/bench/backfill-suite';
import { SUITES } from '@/lib/bench/suites';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';

describe('backfill suite', () => {
  afterAll(() => closePool());

  it('is registered', () => {
    expect(SUITES.map((s) => s.name)).toContain('backfill');
  });

  it('previews, deletes and undoes backfills of stored events through the page code, reports the figures and deletes its rows', async () => {
    const before = await getPool().query(`SELECT count(*)::int AS n FROM workspaces WHERE slug LIKE 'bench-backfill-%'`);
    const figures = await backfillSuite({ events: 2_500, loadBatch: 1_000, rows: 100, runs: 2 }).run({
      pool: getPool(),
      prisma: getPrisma(),
      embedded: false,
      log: () => undefined,
    });
    expect(figures.map((f) => [f.suite, f.name, f.unit])).toEqual([
      ['backfill', 'load', 'events/s'],
      ['backfill', 'preview-100', 'ms'],
      ['backfill', 'delete-100', 'ms'],
      ['backfill', 'undo-100', 'ms'],
    ]);
    for (const figure of figures) expect(figure.value).toBeGreaterThan(0);
    expect(figures[2]!.note).toMatch(/^median of 2 runs of the confirm; target under 1000 ms: (met, stretch met|met, stretch \(200 ms\) not met|NOT MET)$/);
    const after = await getPool().query(`SELECT count(*)::int AS n FROM workspaces WHERE slug LIKE 'bench-backfill-%'`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
