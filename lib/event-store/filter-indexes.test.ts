import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { appendEvents } from '@/lib/event-store/append-events';
import { filterIndexCondition, filterIndexName, filterIndexStates, syncFilterIndexes, wantedFilterFields, withFilterIndexLock } from '@/lib/event-store/filter-indexes';
import { scanEvents } from '@/lib/event-store/scan-events';
import { makeStore, makeWorkspace } from '@/lib/testing/factories';

// Field names of this file only, so other test files' definitions cannot want or drop them.
const TAG = `f${Date.now().toString(36)}`;
const plan = `${TAG}_plan`;
const units = `${TAG}_units`;
const flag = `${TAG}_flag`;

let workspaceId: string;
let definitionId: string;
let storeId: string;

async function setIndexed(names: string[]) {
  const fields = [
    { name: 'id', type: 'string', required: true, description: '' },
    { name: 'at', type: 'datetime', required: true, description: '' },
    { name: plan, type: 'string', required: false, description: '', indexed: names.includes(plan) },
    { name: units, type: 'number', required: false, description: '', indexed: names.includes(units) },
    { name: flag, type: 'boolean', required: false, description: '', indexed: names.includes(flag) },
  ];
  await getPrisma().eventDefinition.update({ where: { id: definitionId }, data: { fields } });
}

const indexExists = async (field: string) =>
  (await getPool().query(`SELECT 1 FROM pg_indexes WHERE tablename = 'events' AND indexname = $1`, [filterIndexName(field)])).rowCount === 1;

beforeAll(async () => {
  workspaceId = (await makeWorkspace()).id;
  definitionId = (await getPrisma().eventDefinition.create({ data: { workspaceId, name: `${TAG}-def`, eventIdField: 'id', eventTimeField: 'at', fields: [] } })).id;
  storeId = (await makeStore(workspaceId, definitionId)).id;
  const at = new Date('2026-05-01T00:00:00Z');
  // 3 and 3.0 are the same number to a filter, the text "3" is not; true and "true" likewise.
  const payloads = [
    { [plan]: 'gold', [units]: 3, [flag]: true },
    { [plan]: 'Gold', [units]: 3.5, [flag]: false },
    { [plan]: 'gold ', [units]: '3', [flag]: 'true' },
    { [plan]: 'silver' },
  ];
  await appendEvents(getPool(), storeId, payloads.map((p, i) => ({ eventId: `e${i}`, eventTime: new Date(at.getTime() + i * 1000), payload: { id: `e${i}`, ...p } })));
  // 3.0 as JSON text keeps its scale in jsonb: written as such, not through JSON.stringify (which writes 3).
  await getPool().query(`INSERT INTO events (store_id, event_id, event_time, payload) VALUES ($1, 'e9', $2, $3::jsonb)`, [storeId, at, `{"id": "e9", "${units}": 3.0}`]);
});

afterAll(async () => {
  await getPool().query('DELETE FROM workspaces WHERE id = $1', [workspaceId]);
  await syncFilterIndexes(getPool(), { waitForLock: true });
  await closePool();
});

const idsWhere = async (where: Record<string, string | number | boolean>) =>
  (await scanEvents(getPool(), storeId, { where, limit: 50 })).rows.map((r) => r.eventId).sort();

const FILTERS: [Record<string, string | number | boolean>, string[]][] = [
  [{ [TAG + '_plan']: 'gold' }, ['e0']],
  [{ [TAG + '_units']: 3 }, ['e0', 'e9']],
  [{ [TAG + '_units']: 3.5 }, ['e1']],
  [{ [TAG + '_units']: '3' }, ['e2']],
  [{ [TAG + '_flag']: true }, ['e0']],
  [{ [TAG + '_flag']: 'true' }, ['e2']],
  [{ [TAG + '_plan']: 'gold', [TAG + '_flag']: true }, ['e0']],
  [{ [TAG + '_plan']: 'bronze' }, []],
];

describe('filter indexes', () => {
  it('follow the definitions: built for an indexed field, dropped when no definition marks it', async () => {
    await setIndexed([plan, units]);
    expect(await wantedFilterFields(getPool())).toEqual(expect.arrayContaining([plan, units]));
    const first = await syncFilterIndexes(getPool(), { waitForLock: true });
    expect(first.created).toEqual(expect.arrayContaining([plan, units]));
    expect(first.created).not.toContain(flag);
    expect(Object.fromEntries(await filterIndexStates(getPool(), [plan, units, flag]))).toEqual({ [plan]: 'ready', [units]: 'ready', [flag]: 'missing' });
    // Nothing to do the second time.
    const again = await syncFilterIndexes(getPool(), { waitForLock: true });
    expect(again.created).not.toContain(plan);
    expect(again.dropped).not.toContain(plan);

    await setIndexed([plan]);
    const second = await syncFilterIndexes(getPool(), { waitForLock: true });
    expect(second.dropped).toContain(units);
    expect(await indexExists(units)).toBe(false);
    expect(await indexExists(plan)).toBe(true);
  });

  it('select exactly what the whole-payload filter selects, with the index and without', async () => {
    await setIndexed([plan, units, flag]);
    await syncFilterIndexes(getPool(), { waitForLock: true });
    for (const [where, ids] of FILTERS) expect(await idsWhere(where), JSON.stringify(where)).toEqual(ids);
    await setIndexed([]);
    await syncFilterIndexes(getPool(), { waitForLock: true });
    expect(await indexExists(plan)).toBe(false);
    for (const [where, ids] of FILTERS) expect(await idsWhere(where), JSON.stringify(where)).toEqual(ids);
  });

  it('are what the planner reads for a rare value of an indexed field', async () => {
    await setIndexed([plan]);
    await syncFilterIndexes(getPool(), { waitForLock: true });
    const client = await getPool().connect();
    try {
      // A tiny store would be read whole anyway; without sequential scans the plan shows whether the index fits.
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const { rows } = await client.query(
        `EXPLAIN SELECT event_id FROM events WHERE store_id = $1::uuid AND ${filterIndexCondition(plan, '$2')}`,
        [storeId, '"bronze"'],
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(filterIndexName(plan));
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('rebuild an index whose build died (left invalid), and one sync runs at a time', async () => {
    await setIndexed([flag]);
    // A concurrent build that fails (a unique index over duplicate keys) leaves an invalid index behind, as a
    // build killed midway does.
    await withFilterIndexLock(getPool(), { wait: true }, (client) =>
      client.query(`CREATE UNIQUE INDEX CONCURRENTLY "${filterIndexName(flag)}" ON events (store_id) WHERE payload ? '${flag}'`).catch(() => undefined),
    );
    expect(Object.fromEntries(await filterIndexStates(getPool(), [flag]))).toEqual({ [flag]: 'building' });

    // While another holds the lock, a sync that does not wait does nothing.
    const busy = await withFilterIndexLock(getPool(), { wait: true }, () => syncFilterIndexes(getPool()));
    expect(busy).toMatchObject({ busy: true, created: [], dropped: [] });

    const sync = await syncFilterIndexes(getPool(), { waitForLock: true });
    expect(sync.dropped).toContain(flag);
    expect(sync.created).toContain(flag);
    expect(Object.fromEntries(await filterIndexStates(getPool(), [flag]))).toEqual({ [flag]: 'ready' });
    expect(await idsWhere({ [flag]: true })).toEqual(['e0']);
  });
});
