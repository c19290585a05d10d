import { getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { makeStore, makeTenant, unique } from '@/lib/testing/factories';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';

const START = Date.UTC(2026, 0, 1);

/**
 * A tenant with a source store of `events` events (ids e0…, one a second from 2026-01-01, the
 * factories' definition: id, at) and a saved meter that copies them into a target store: the world of
 * the worker's tests and of the fault test.
 */
export async function makeCopyWorld(events: number) {
  const tenant = await makeTenant();
  const source = await makeStore(tenant.workspace.id, tenant.definition.id, unique('source'));
  for (let offset = 0; offset < events; offset += 20_000) {
    const batch = Array.from({ length: Math.min(20_000, events - offset) }, (_, i) => {
      const at = new Date(START + (offset + i) * 1000);
      return { eventId: `e${offset + i}`, eventTime: at, payload: { id: `e${offset + i}`, at: at.toISOString() } };
    });
    await appendEvents(getPool(), source.id, batch);
  }
  const { meter, targetStoreId } = await makeCopyMeter(tenant, { sourceStoreId: source.id });
  return { tenant, sourceStoreId: source.id, targetStoreId, meter };
}

/** Whether the target holds exactly the source's events (ids, times and payloads), compared in SQL. */
export async function targetMatchesSource(sourceStoreId: string, targetStoreId: string): Promise<{ source: number; target: number; differing: number }> {
  const { rows } = await getPool().query<{ source: string; target: string; differing: string }>(
    `SELECT (SELECT count(*) FROM events WHERE store_id = $1) AS source,
            (SELECT count(*) FROM events WHERE store_id = $2) AS target,
            (SELECT count(*) FROM (
               (SELECT event_id, event_time, payload FROM events WHERE store_id = $1 EXCEPT ALL SELECT event_id, event_time, payload FROM events WHERE store_id = $2)
               UNION ALL
               (SELECT event_id, event_time, payload FROM events WHERE store_id = $2 EXCEPT ALL SELECT event_id, event_time, payload FROM events WHERE store_id = $1)) d) AS differing`,
    [sourceStoreId, targetStoreId],
  );
  return { source: Number(rows[0]!.source), target: Number(rows[0]!.target), differing: Number(rows[0]!.differing) };
}

/** Polls until `check` gives a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
