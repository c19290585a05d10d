import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { makeStore, makeTenant } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(() => closePool());

const event = (i: number, round: number): ValidEvent => ({
  eventId: `e${String(i).padStart(5, '0')}`,
  eventTime: new Date(Date.UTC(2026, 0, 1, 0, i % 60)),
  payload: { id: `e${i}`, round },
});

describe('two writers merging overlapping ids in opposite orders', () => {
  // Each upsert locks the rows it inserts or updates as it goes. Had each writer merged in its own
  // order, A would hold e00000 waiting for e01999 while B held e01999 waiting for e00000: PostgreSQL
  // breaks that with "deadlock detected" and fails one whole batch. Merged in event_id order, both
  // writers lock in one order, so one simply waits for the other.
  it('never deadlock, whether the ids are new (inserts) or stored (updates)', async () => {
    const store = await makeStore(tenant.workspace.id, tenant.definition.id);
    const ids = Array.from({ length: 2_000 }, (_, i) => i);
    for (let round = 0; round < 8; round++) {
      const forward = ids.map((i) => event(i, round));
      const results = await Promise.allSettled([
        appendEvents(getPool(), store.id, forward),
        appendEvents(getPool(), store.id, [...forward].reverse()),
      ]);
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
      expect(failures, `round ${round}`).toEqual([]);
    }
    const { rows } = await getPool().query(`SELECT count(*)::int AS n, min(payload->>'round') AS r FROM events WHERE store_id = $1`, [store.id]);
    expect(rows[0]).toEqual({ n: 2_000, r: '7' });
  });
});
