import { afterAll, describe, expect, it } from 'vitest';
import { changesSuite, expectedEvents, type ChangesFixture } from '@/lib/bench/changes-suite';
import { benchChanges, benchTriggers, CHANGE_BENCH_OBJECTS } from '@/lib/bench/generate-changes';
import { SUITES } from '@/lib/bench/suites';
import { readObjectChange } from '@/lib/custom-events/changes/object-change';
import { natsAnswers, TEST_NATS_URL } from '@/lib/custom-events/streaming/nats';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';

const natsUrl = (await natsAnswers(TEST_NATS_URL)) ? TEST_NATS_URL : null;
if (!natsUrl) console.warn(`changes suite: the -nats figures are not checked: no NATS server at ${TEST_NATS_URL}`);

const context = () => ({ pool: getPool(), prisma: getPrisma(), embedded: false, log: () => undefined });

describe('changes bench fixtures', () => {
  it('are valid changes of the five objects, in order per record, that the triggers match now and then', () => {
    const changes = benchChanges(2_000, 50);
    expect(changes.every((c, i) => readObjectChange(c, i).ok)).toBe(true);
    expect(new Set(changes.map((c) => c.object))).toEqual(new Set(CHANGE_BENCH_OBJECTS));
    const triggers = benchTriggers(100);
    expect(new Set(triggers.map((t) => t.eventType)).size).toBe(100);
    const matches = expectedEvents(changes, triggers);
    expect(matches).toBeGreaterThan(100);
    expect(benchChanges(2_000, 50)).toEqual(changes);
  });
});

describe('changes suite', () => {
  afterAll(() => closePool());

  it('is registered', () => {
    expect(SUITES.map((s) => s.name)).toContain('changes');
  });

  it('puts every change through the route and processChanges, checks the business events, and deletes its workspaces', async () => {
    let fixture: ChangesFixture | undefined;
    let landed = { changes: 0, events: 0 };
    const figures = await changesSuite({
      changes: 600,
      triggers: 20,
      records: 30,
      requestSize: 100,
      concurrency: 2,
      natsUrl,
      beforeCleanup: async (f) => {
        fixture = f;
        const { rows } = await getPool().query(
          `SELECT (SELECT count(*)::int FROM object_changes WHERE workspace_id = $1) AS changes, (SELECT count(*)::int FROM business_events WHERE workspace_id = $1) AS events`,
          [f.scope.workspaceId],
        );
        landed = rows[0];
      },
    }).run(context());
    expect(figures.map((f) => [f.name, f.unit])).toEqual(['api-to-business-events', 'evaluate-only', 'api-to-business-events-nats', 'evaluate-only-nats'].map((n) => [n, 'changes/s']));
    for (const figure of figures) {
      if (figure.name.endsWith('-nats') && !natsUrl) expect(figure.note).toMatch(/^skipped: set NATS_URL/);
      else expect(figure.value).toBeGreaterThan(0);
    }
    expect(landed.changes).toBe(600);
    expect(landed.events).toBe(expectedEvents(benchChanges(600, 30), benchTriggers(20)));
    expect((await getPool().query('SELECT 1 FROM workspaces WHERE id = $1', [fixture!.scope.workspaceId])).rowCount).toBe(0);
    expect((await getPool().query(`SELECT 1 FROM workspaces WHERE slug LIKE 'bench-changes-%'`)).rowCount).toBe(0);
  }, 120_000);
});
