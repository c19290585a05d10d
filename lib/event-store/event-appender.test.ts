import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { createAppender } from '@/lib/event-store/event-appender';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { makeStore, makeTenant } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(() => closePool());

const event = (id: number, version: number): ValidEvent => ({
  eventId: `e${id}`,
  eventTime: new Date(Date.UTC(2026, 0, 1, 0, id % 60)),
  payload: { id: `e${id}`, version },
});

describe('createAppender', () => {
  it('writes everything on several lanes and keeps last-write-wins for repeated ids across batches', async () => {
    const store = await makeStore(tenant.workspace.id, tenant.definition.id);
    const appender = createAppender(getPool(), store.id, { batchSize: 7, lanes: 3, method: 'unnest' });
    for (let version = 1; version <= 4; version++) {
      for (let id = 0; id < 50; id++) await appender.add(event(id, version));
    }
    expect(await appender.finish()).toBe(200);
    const { rows } = await getPool().query(`SELECT payload->>'version' AS v, count(*)::int AS n FROM events WHERE store_id = $1 GROUP BY 1`, [store.id]);
    expect(rows).toEqual([{ v: '4', n: 50 }]);
  });

  it('surfaces a failed batch instead of losing it', async () => {
    const store = await makeStore(tenant.workspace.id, tenant.definition.id);
    const appender = createAppender(getPool(), store.id, { batchSize: 2, lanes: 2, method: 'unnest' });
    const broken = { ...event(1, 1), eventTime: new Date(Number.NaN) };
    let failure: unknown;
    try {
      for (const e of [broken, event(2, 1), event(3, 1), event(4, 1), event(5, 1), event(6, 1)]) await appender.add(e);
      await appender.finish();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
  });
});
