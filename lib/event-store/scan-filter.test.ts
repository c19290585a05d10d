import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { FILTER_WINDOW, scanEvents, type Cursor, type ScanQuery } from '@/lib/event-store/scan-events';
import { makeStore, makeTenant } from '@/lib/testing/factories';

let storeId: string;
let workspaceId: string;
const COUNT = FILTER_WINDOW * 2;
// Every 3rd event is "common"; only the 5 oldest are "rare", so a page of them lies beyond the first window.
const kind = (i: number) => (i < 5 ? 'rare' : i % 3 === 0 ? 'common' : 'other');

beforeAll(async () => {
  const tenant = await makeTenant();
  workspaceId = tenant.workspace.id;
  storeId = (await makeStore(workspaceId, tenant.definition.id)).id;
  const start = Date.parse('2026-03-01T00:00:00Z');
  await appendEvents(
    getPool(),
    storeId,
    Array.from({ length: COUNT }, (_, i) => ({ eventId: `e${String(i).padStart(5, '0')}`, eventTime: new Date(start + i * 60_000), payload: { kind: kind(i), n: i } })),
  );
});
afterAll(async () => {
  await getPool().query('DELETE FROM workspaces WHERE id = $1', [workspaceId]);
  await closePool();
});

/** Every page of a filtered scan, followed by cursors: the event ids in the order read. */
async function readAll(query: Omit<ScanQuery, 'after'>): Promise<string[]> {
  const ids: string[] = [];
  let after: Cursor | undefined;
  do {
    const page = await scanEvents(getPool(), storeId, { ...query, after });
    ids.push(...page.rows.map((r) => r.eventId));
    after = page.next ?? undefined;
  } while (after);
  return ids;
}

const expected = (k: string, desc: boolean) => {
  const ids = Array.from({ length: COUNT }, (_, i) => i).filter((i) => kind(i) === k).map((i) => `e${String(i).padStart(5, '0')}`);
  return desc ? ids.reverse() : ids;
};

describe('scanEvents with a payload filter', () => {
  it('pages through frequent, rare and absent matches in order, both ways', async () => {
    for (const direction of ['asc', 'desc'] as const) {
      for (const k of ['common', 'rare', 'absent']) {
        expect(await readAll({ where: { kind: k }, limit: 40, direction })).toEqual(expected(k, direction === 'desc'));
      }
    }
  });
});
