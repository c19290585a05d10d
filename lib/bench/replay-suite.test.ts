import { afterAll, describe, expect, it } from 'vitest';
import { replaySuite } from '@/lib/bench/replay-suite';
import { SUITES } from '@/lib/bench/suites';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';

describe('replay suite', () => {
  afterAll(() => closePool());

  it('is registered', () => {
    expect(SUITES.map((s) => s.name)).toContain('replay');
  });

  it('replays a small store in worker processes, reports the four figures and deletes its rows', async () => {
    const lines: string[] = [];
    const figures = await replaySuite({ events: 3_000, loadBatch: 1_000, pageSize: 500 }).run({ pool: getPool(), prisma: getPrisma(), embedded: false, log: (l) => lines.push(l) });
    expect(figures.map((f) => [f.suite, f.name, f.unit])).toEqual([
      ['replay', 'all-time', 'events/s'],
      ['replay', 'one-week', 'events/s'],
      ['replay', 'copy', 'events/s'],
      ['replay', 'append', 'events/s'],
      ['replay', 'worker-peak-rss', 'MB'],
    ]);
    for (const figure of figures) expect(figure.value).toBeGreaterThan(0);
    expect(figures[0]!.note).toMatch(/^3,000 events read/);
    // The one-week frame holds about 7 of the 90 days.
    expect(Number(figures[1]!.note!.match(/^([\d,]+) events read/)![1]!.replace(/,/g, ''))).toBeGreaterThan(100);
    // The bench logs the plan the planner chose at its size. At 3,000 events it may rightly scan and sort,
    // depending on what else is in `events`; that the page query seeks the index at scale is tested in
    // event-store-source.test.ts (planAtScale).
    expect(lines.join('\n')).toMatch(/page plan: \S/);
    const left = await getPool().query(`SELECT count(*)::int AS n FROM workspaces WHERE slug LIKE 'bench-replay-%' AND slug NOT LIKE 'bench-replay-kept-%'`);
    expect(left.rows[0].n).toBe(0);
  }, 120_000);

  it('with BENCH_REPLAY_KEEP=1 keeps its fixture, and the next run of the same size reuses it from an empty target', async () => {
    const run = async () => {
      const lines: string[] = [];
      const figures = await replaySuite({ events: 2_000, loadBatch: 1_000, pageSize: 500 }).run({ pool: getPool(), prisma: getPrisma(), embedded: false, log: (l) => lines.push(l) });
      return { log: lines.join('\n'), allTime: figures[0]! };
    };
    process.env.BENCH_REPLAY_KEEP = '1';
    try {
      expect((await run()).log).toMatch(/loaded 2,000 source events/);
      // Something the next run must not find: it starts from an empty target, as a new fixture would.
      const stray = await getPool().query(
        `INSERT INTO events (store_id, event_id, event_time, payload)
         SELECT s.id, 'stray', now(), '{}' FROM event_stores s JOIN workspaces w ON w.id = s.workspace_id
          WHERE w.slug LIKE 'bench-replay-kept-2000-%' AND s.name = 'bench-replay-target' RETURNING store_id`,
      );
      expect(stray.rowCount).toBe(1);
      const second = await run();
      expect(second.log).toMatch(/reusing the kept source store/);
      expect(second.log).not.toMatch(/loaded 2,000 source events/);
      expect(second.allTime.note).toMatch(/^2,000 events read/);
      const left = await getPool().query(`SELECT count(*)::int AS n FROM events WHERE store_id = $1 AND event_id = 'stray'`, [stray.rows[0].store_id]);
      expect(left.rows[0].n).toBe(0);
      const kept = await getPool().query(`SELECT count(*)::int AS n FROM workspaces WHERE slug LIKE 'bench-replay-kept-2000-%'`);
      expect(kept.rows[0].n).toBe(1);
    } finally {
      delete process.env.BENCH_REPLAY_KEEP;
      await getPool().query(`DELETE FROM workspaces WHERE slug LIKE 'bench-replay-kept-2000-%'`);
    }
  }, 240_000);
});
