import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import { eventStoreSource, pageQuery } from '@/lib/pipeline/sources/event-store-source';
import { makeDefinition, makeStore, makeWorkspace } from '@/lib/testing/factories';
import { planAtScale } from '@/lib/testing/plan-at-scale';

afterAll(() => closePool());

let stores: { a: string; b: string };
beforeAll(async () => {
  const workspace = await makeWorkspace();
  const definition = await makeDefinition(workspace.id);
  const [a, b] = [await makeStore(workspace.id, definition.id), await makeStore(workspace.id, definition.id)];
  stores = { a: a!.id, b: b!.id };
});

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const event = (id: string, minute: number, store: string): ValidEvent => ({ eventId: id, eventTime: at(minute), payload: { id, at: at(minute).toISOString(), store } });

async function readAll(nodes: { nodeId: string; storeId: string }[], range = {}, pageSize = 2) {
  const seen: Record<string, FlowRecord[]> = {};
  let read = 0;
  for await (const batch of eventStoreSource(getPool(), nodes, range, { pageSize })) {
    read += batch.read;
    for (const [id, records] of batch.records) (seen[id] ??= []).push(...records);
  }
  return { seen, read };
}

describe('eventStoreSource over several stores', () => {
  it('reads every event of every store once, merged in (event time, event id) order, each to every node reading its store', async () => {
    // Same time and id in both stores (a tie the cursor must not skip), and interleaved times.
    await appendEvents(getPool(), stores.a, [event('x', 1, 'a'), event('t', 5, 'a'), event('y', 3, 'a'), event('z', 9, 'a')]);
    await appendEvents(getPool(), stores.b, [event('t', 5, 'b'), event('w', 2, 'b'), event('v', 7, 'b')]);
    const { seen, read } = await readAll([
      { nodeId: 'fromA', storeId: stores.a },
      { nodeId: 'fromB', storeId: stores.b },
      { nodeId: 'alsoA', storeId: stores.a },
    ]);
    expect(read).toBe(7);
    expect(seen.fromA!.map((r) => r.id)).toEqual(['x', 'y', 't', 'z']);
    expect(seen.alsoA).toEqual(seen.fromA);
    expect(seen.fromB!.map((r) => r.id)).toEqual(['w', 't', 'v']);

    const frame = await readAll([{ nodeId: 'fromA', storeId: stores.a }, { nodeId: 'fromB', storeId: stores.b }], { from: at(3), to: at(9) }, 1);
    expect(frame.read).toBe(4);
    expect([...frame.seen.fromA!, ...frame.seen.fromB!].map((r) => `${r.store}:${r.id}`).sort()).toEqual(['a:t', 'a:y', 'b:t', 'b:v']);
  });

  it('seeks the time index: one ordered index scan per store, merged without sorting the stores’ events', async () => {
    const query = pageQuery([stores.a, stores.b].sort(), { from: at(0), to: at(60) }, { time: at(3), id: 'y', storeId: stores.a }, 5_000);
    const plan = await planAtScale(getPool(), query);
    expect(plan).toMatch(/Merge Append/);
    expect(plan.match(/Index Scan using events_store_id_event_time_event_id_idx/g)).toHaveLength(2);
  });
});
