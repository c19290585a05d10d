import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents, type AppendMethod } from '@/lib/event-store/append-events';
import { deleteEvents } from '@/lib/event-store/delete-events';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { browseEvents, scanEvents, type Cursor } from '@/lib/event-store/scan-events';
import { makeTenant, makeStore } from '@/lib/testing/factories';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const event = (i: number, extra: Record<string, unknown> = {}): ValidEvent => ({
  eventId: `e${String(i).padStart(5, '0')}`,
  eventTime: new Date(T0 + (i % 50) * 60_000),
  payload: { id: `e${i}`, n: i, customer: i % 3 === 0 ? 'A' : 'B', note: 'tab\there\nnewline \\ backslash', ...extra },
});

const methods: AppendMethod[] = ['copy', 'unnest'];
let tenant: Awaited<ReturnType<typeof makeTenant>>;

beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(() => closePool());

describe.each(methods)('appendEvents (%s)', (method) => {
  it('stores a batch exactly, including text that needs escaping', async () => {
    const store = await makeStore(tenant.workspace.id, tenant.definition.id);
    expect(await appendEvents(getPool(), store.id, [event(1), event(2)], { method })).toEqual({ written: 2, inserted: 2 });
    const { rows } = await scanEvents(getPool(), store.id, { limit: 10, direction: 'asc' });
    expect(rows.map((r) => r.payload)).toEqual([event(1).payload, event(2).payload]);
  });

  it('is idempotent and last write wins, across batches and within one', async () => {
    const store = await makeStore(tenant.workspace.id, tenant.definition.id);
    expect(await appendEvents(getPool(), store.id, [event(1), event(2)], { method })).toEqual({ written: 2, inserted: 2 });
    expect(await appendEvents(getPool(), store.id, [event(1), event(2)], { method })).toEqual({ written: 2, inserted: 0 });
    expect(await appendEvents(getPool(), store.id, [event(1, { v: 'first' }), event(3), event(1, { v: 'last' })], { method })).toEqual({ written: 2, inserted: 1 });
    const { rows } = await scanEvents(getPool(), store.id, { limit: 10, direction: 'asc' });
    expect(rows.map((r) => r.eventId).sort()).toEqual(['e00001', 'e00002', 'e00003']);
    expect(rows.find((r) => r.eventId === 'e00001')?.payload.v).toBe('last');
  });

  it('writes a batch whole or not at all', async () => {
    const store = await makeStore(tenant.workspace.id, tenant.definition.id);
    const bad = { ...event(2), eventTime: new Date(Number.NaN) };
    await expect(appendEvents(getPool(), store.id, [event(1), bad], { method })).rejects.toThrow();
    expect((await scanEvents(getPool(), store.id, { limit: 10 })).rows).toHaveLength(0);
  });
});

describe('scanEvents', () => {
  let storeId: string;
  beforeAll(async () => {
    storeId = (await makeStore(tenant.workspace.id, tenant.definition.id)).id;
    await appendEvents(getPool(), storeId, Array.from({ length: 230 }, (_, i) => event(i)), { method: 'unnest' });
  });

  const all = async (query: { direction: 'asc' | 'desc'; limit: number; where?: Record<string, string> }) => {
    const seen: string[] = [];
    let after: Cursor | undefined;
    let pages = 0;
    do {
      const page = await scanEvents(getPool(), storeId, { ...query, after });
      seen.push(...page.rows.map((r) => r.eventId));
      after = page.next ?? undefined;
      pages += 1;
    } while (after);
    return { seen, pages };
  };

  it('pages through every event once, in (time, id) order, both directions', async () => {
    const asc = await all({ direction: 'asc', limit: 40 });
    expect(asc.seen).toHaveLength(230);
    expect(new Set(asc.seen).size).toBe(230);
    expect(asc.pages).toBe(6);
    const desc = await all({ direction: 'desc', limit: 40 });
    expect(desc.seen).toEqual([...asc.seen].reverse());
  });

  it('browses forward with next and back with previous, page for page', async () => {
    const forward: string[][] = [];
    let page = await browseEvents(getPool(), storeId, { direction: 'desc', limit: 50 });
    expect(page.previous).toBeNull();
    forward.push(page.rows.map((r) => r.eventId));
    while (page.next) {
      page = await browseEvents(getPool(), storeId, { direction: 'desc', limit: 50, after: page.next });
      expect(page.previous).not.toBeNull();
      forward.push(page.rows.map((r) => r.eventId));
    }
    expect(forward.map((p) => p.length)).toEqual([50, 50, 50, 50, 30]);
    const backward: string[][] = [forward.at(-1)!];
    while (page.previous) {
      page = await browseEvents(getPool(), storeId, { direction: 'desc', limit: 50, before: page.previous });
      backward.unshift(page.rows.map((r) => r.eventId));
      expect(page.next).not.toBeNull();
    }
    expect(backward).toEqual(forward);
  });

  it('filters by time range (from inclusive, to exclusive) and by field values', async () => {
    const page = await scanEvents(getPool(), storeId, { from: new Date(T0 + 10 * 60_000), to: new Date(T0 + 12 * 60_000), limit: 100, direction: 'asc' });
    expect(page.rows.every((r) => r.eventTime.getTime() >= T0 + 10 * 60_000 && r.eventTime.getTime() < T0 + 12 * 60_000)).toBe(true);
    expect(page.rows.length).toBe(10);
    const filtered = await all({ direction: 'asc', limit: 25, where: { customer: 'A' } });
    expect(filtered.seen).toHaveLength(77);
  });

  it('deletes by id in bulk and reports how many existed', async () => {
    expect(await deleteEvents(getPool(), storeId, ['e00000', 'e00001', 'missing'])).toBe(2);
    expect((await all({ direction: 'asc', limit: 100 })).seen).toHaveLength(228);
  });
});
