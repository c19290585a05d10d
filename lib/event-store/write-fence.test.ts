import type pg from 'pg';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit/audit-log';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { deleteEvents } from '@/lib/event-store/delete-events';
import { createAppender } from '@/lib/event-store/event-appender';
import { findStore } from '@/lib/event-store/get-store';
import { ingestEvents } from '@/lib/event-store/ingest/ingest-events';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import { releaseStore, takeStore } from '@/lib/event-store/store-status';
import { makeStore, makeTenant, scopeOf } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(() => closePool());

const newStore = () => makeStore(tenant.workspace.id, tenant.definition.id);
const event = (id: string): ValidEvent => ({ eventId: id, eventTime: new Date('2026-01-01T00:00:00Z'), payload: { id } });
const stored = async (storeId: string) =>
  (await getPool().query<{ event_id: string }>(`SELECT event_id FROM events WHERE store_id = $1 ORDER BY event_id`, [storeId])).rows.map((r) => r.event_id);
/**
 * Runs `first` in a transaction left open, then starts `second` on the pool: whether `second` was still
 * waiting 300 ms later, and its outcome once `first` committed.
 */
async function whileOpen<T>(first: (client: pg.ClientBase) => Promise<unknown>, second: () => Promise<T>) {
  const client = await getPool().connect();
  try {
    await client.query('BEGIN');
    await first(client);
    const outcome = second();
    let settled = false;
    outcome.then(() => (settled = true), () => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    // Read before COMMIT: the waiter's answer can arrive before COMMIT's own.
    const waited = !settled;
    await client.query('COMMIT');
    return { waited, outcome };
  } finally {
    client.release();
  }
}

describe('writes under a lease are fenced', () => {
  it('commit while the lease holds; after it lapses, or after release, they fail with LEASE_LOST and write nothing', async () => {
    const store = await newStore();
    const lease = (await takeStore(getPool(), store.id, 'writing', 'run 1', 1))!;
    expect(await appendEvents(getPool(), store.id, [event('a')], { lease })).toEqual({ written: 1, inserted: 1 });
    await new Promise((r) => setTimeout(r, 1_100));
    await expect(appendEvents(getPool(), store.id, [event('b')], { lease })).rejects.toMatchObject({
      code: 'LEASE_LOST',
      userMessage: `Stopped writing to the event store “${store.name}”: this process’s hold on the store lapsed (it was too slow to renew it), so it may no longer change it. What was committed before stays; run it again to finish.`,
    });
    await expect(deleteEvents(getPool(), store.id, ['a'], { lease })).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await stored(store.id)).toEqual(['a']);

    const backfill = (await takeStore(getPool(), store.id, 'deleting', 'backfill 2'))!;
    expect(await deleteEvents(getPool(), store.id, ['a'], { lease: backfill })).toBe(1);
    await releaseStore(getPool(), backfill);
    await expect(deleteEvents(getPool(), store.id, ['a'], { lease: backfill })).rejects.toMatchObject({ code: 'LEASE_LOST', details: { reason: 'released' } });
  });

  it('a fenced appender stops at the first refused batch and says how much was stored', async () => {
    const store = await newStore();
    const lease = (await takeStore(getPool(), store.id, 'writing', 'run 3'))!;
    const appender = createAppender(getPool(), store.id, { batchSize: 2, lanes: 1, lease });
    await appender.add(event('a'));
    await appender.add(event('b'));
    await appender.finish();
    // The lease is taken over (it lapsed while this process stalled).
    await getPool().query(`UPDATE event_stores SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [store.id]);
    await takeStore(getPool(), store.id, 'deleting', 'backfill 4');
    const failure = await (async () => {
      for (const id of ['c', 'd', 'e', 'f']) await appender.add(event(id));
      return appender.finish();
    })().catch((e) => e);
    expect(failure).toMatchObject({ code: 'LEASE_LOST', details: { reason: 'taken', written: 2 } });
    expect(failure.userMessage).toMatch(/someone else took the store.*2 events were stored before this happened/);
    expect(await stored(store.id)).toEqual(['a', 'b']);
  });
});

describe('ingest (no lease) and deletes exclude each other per batch', () => {
  it('an ingest stream is refused from the first batch after a backfill takes the store, not only at its start', async () => {
    const store = await newStore();
    const appender = createAppender(getPool(), store.id, { batchSize: 2, lanes: 1 });
    await appender.add(event('a'));
    await appender.add(event('b')); // first batch written
    await appender.finish();
    const backfill = (await takeStore(getPool(), store.id, 'deleting', 'backfill by alice'))!;
    const failure = await (async () => {
      for (const id of ['c', 'd']) await appender.add(event(id));
      return appender.finish();
    })().catch((e) => e);
    expect(failure).toMatchObject({ code: 'STORE_BUSY', status: 409 });
    expect(failure.userMessage).toMatch(
      new RegExp(`^The event store “${store.name}” is busy: a backfill is deleting events from it since \\d\\d:\\d\\d UTC \\(“backfill by alice”\\)\\. Try again when it finishes\\. 2 events were stored before this happened;`),
    );
    expect(await stored(store.id)).toEqual(['a', 'b']);
    await releaseStore(getPool(), backfill);
    expect(await appendEvents(getPool(), store.id, [event('c')])).toEqual({ written: 1, inserted: 1 });
  });

  it('an upload that is under way when a backfill starts stops at its next batch, and says what was stored', async () => {
    const store = await findStore(tenant.workspace.id, (await newStore()).id);
    const line = (i: number) => `${JSON.stringify({ id: `e${i}`, at: '2026-01-01T00:00:00Z' })}\n`;
    async function* body() {
      for (let i = 0; i < 20_000; i++) yield line(i);
      await new Promise((r) => setTimeout(r, 200)); // the first batches are being written
      await takeStore(getPool(), store.id, 'deleting', 'backfill by alice');
      for (let i = 20_000; i < 40_000; i++) yield line(i);
    }
    const failure = await ingestEvents({ pool: getPool(), store, format: 'ndjson', body: Readable.from(body()) }).catch((e) => e);
    expect(failure).toMatchObject({ code: 'STORE_BUSY', status: 409 });
    const count = (await stored(store.id)).length;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(20_000);
    expect(failure.details.written).toBe(count);
    expect(failure.userMessage).toContain(`${count.toLocaleString('en')} events were stored before this happened`);
  });

  it('taking a store for deleting waits for an ingest batch in flight; the next batch is refused', async () => {
    const store = await newStore();
    const { waited, outcome } = await whileOpen(
      (client) => appendEvents(client, store.id, [event('a')]),
      () => takeStore(getPool(), store.id, 'deleting', 'backfill'),
    );
    expect(waited).toBe(true);
    expect(await outcome).not.toBeNull();
    await expect(appendEvents(getPool(), store.id, [event('b')])).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(await stored(store.id)).toEqual(['a']);
  });

  it('an ingest batch waits for a delete batch in flight, then is refused while the backfill holds the store', async () => {
    const store = await newStore();
    await appendEvents(getPool(), store.id, [event('a'), event('b')]);
    const backfill = (await takeStore(getPool(), store.id, 'deleting', 'backfill'))!;
    const { waited, outcome } = await whileOpen(
      (client) => deleteEvents(client, store.id, ['a', 'b'], { lease: backfill }),
      () => appendEvents(getPool(), store.id, [event('a')]),
    );
    expect(waited).toBe(true);
    await expect(outcome).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(await stored(store.id)).toEqual([]);
  });

  it('an ingest batch and a delete batch without leases never run at once either', async () => {
    const store = await newStore();
    const { waited, outcome } = await whileOpen(
      (client) => appendEvents(client, store.id, [event('a')]),
      () => deleteEvents(getPool(), store.id, ['a']),
    );
    expect(waited).toBe(true);
    expect(await outcome).toBe(1);
  });
});

describe('joining the caller’s transaction', () => {
  const changeAll = async (commit: boolean) => {
    const store = await newStore();
    await appendEvents(getPool(), store.id, [event('old')]);
    const lease = (await takeStore(getPool(), store.id, 'writing', 'run 9'))!;
    const target = `run-${commit}-${store.id}`;
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      await appendEvents(client, store.id, [event('a'), event('b')], { lease });
      await appendEvents(client, store.id, [event('c')], { lease }); // a second batch in the same transaction
      await appendEvents(client, store.id, [event('d')], { lease, method: 'unnest' });
      expect(await deleteEvents(client, store.id, ['old', 'b'], { lease })).toBe(2);
      await recordAudit(client, scopeOf(tenant.workspace, tenant.owner), { action: 'run.batch', targetType: 'run', targetId: target });
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    } finally {
      client.release();
    }
    const audits = await getPool().query(`SELECT action FROM audit_events WHERE target_id = $1`, [target]);
    return { events: await stored(store.id), audits: audits.rows.map((r) => r.action) };
  };

  it('append, delete and audit roll back together', async () => {
    expect(await changeAll(false)).toEqual({ events: ['old'], audits: [] });
  });

  it('and commit together', async () => {
    expect(await changeAll(true)).toEqual({ events: ['a', 'c', 'd'], audits: ['run.batch'] });
  });

  it('a failed batch undoes only itself; the caller’s transaction goes on', async () => {
    const store = await newStore();
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      await appendEvents(client, store.id, [event('a')]);
      await expect(appendEvents(client, store.id, [{ ...event('b'), eventTime: new Date(Number.NaN) }])).rejects.toThrow();
      await appendEvents(client, store.id, [event('c')]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await stored(store.id)).toEqual(['a', 'c']);
  });

  it('refuses a client that is not inside a transaction', async () => {
    const store = await newStore();
    const client = await getPool().connect();
    try {
      await expect(appendEvents(client, store.id, [event('a')])).rejects.toThrow(/send BEGIN on the client first, or pass the pool/);
    } finally {
      client.release();
    }
  });
});

describe('a backfill starting while uploads stream without pause', () => {
  it('takes the store within a moment, and the uploads stop at their next batch', async () => {
    const store = await newStore();
    let stop = false;
    const uploader = async (n: number) => {
      // Back-to-back batches from several uploaders: at every moment some batch holds the store row.
      for (let round = 0; !stop; round++) {
        const batch = Array.from({ length: 2_000 }, (_, i) => event(`u${n}-${round}-${i}`));
        try {
          await appendEvents(getPool(), store.id, batch);
        } catch (error) {
          return (error as { code?: string }).code;
        }
      }
      return 'stopped by the test';
    };
    const uploads = Promise.all([1, 2, 3, 4].map(uploader));
    await new Promise((r) => setTimeout(r, 500));
    const started = performance.now();
    const backfill = await takeStore(getPool(), store.id, 'deleting', 'backfill');
    const waited = performance.now() - started;
    stop = true;
    expect(backfill).not.toBeNull();
    expect(waited).toBeLessThan(2_000);
    expect(await uploads).toEqual(['STORE_BUSY', 'STORE_BUSY', 'STORE_BUSY', 'STORE_BUSY']);
  });
});
