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
    expect(lines.join("\n")).toMatch(/page plan: .*Index.* Scan on events_store_id_event_time_event_id_idx|page plan: .*Index Scan using events_store_id_event_time_event_id_idx/);
    const left = await getPool().query(`SELECT count(*)::int AS n FROM workspaces WHERE slug LIKE 'bench-replay-%'`);
    expect(left.rows[0].n).toBe(0);
  }, 120_000);
});
