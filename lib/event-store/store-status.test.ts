import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@/lib/db/create-pool';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import {
  busyError,
  effectiveActivity,
  holderLabel,
  readActivity,
  releaseStore,
  renewLease,
  storeStatusLabel,
  takeStore,
  TRANSITIONS,
} from '@/lib/event-store/store-status';
import { withStore } from '@/lib/event-store/with-store';
import { makeStore, makeTenant } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
const newStore = async () => makeStore(tenant.workspace.id, tenant.definition.id);

beforeAll(async () => {
  tenant = await makeTenant();
});
afterAll(() => closePool());

describe('status labels', () => {
  const future = new Date(Date.now() + 60_000);
  const past = new Date(Date.now() - 1);
  it('shows Orphan, In use · Idle, In use · Writing and Deleting; a lapsed lease is idle', () => {
    expect(storeStatusLabel({ activity: 'idle', leaseExpiresAt: null }, 0)).toBe('Orphan');
    expect(storeStatusLabel({ activity: 'idle', leaseExpiresAt: null }, 2)).toBe('In use · Idle');
    expect(storeStatusLabel({ activity: 'writing', leaseExpiresAt: future }, 1)).toBe('In use · Writing');
    expect(storeStatusLabel({ activity: 'deleting', leaseExpiresAt: future }, 1)).toBe('Deleting');
    expect(storeStatusLabel({ activity: 'writing', leaseExpiresAt: past }, 1)).toBe('In use · Idle');
    expect(effectiveActivity({ activity: 'deleting', leaseExpiresAt: past })).toBe('idle');
  });

  it('never goes from writing to deleting or back without idle', () => {
    expect(TRANSITIONS.writing).toEqual(['idle']);
    expect(TRANSITIONS.deleting).toEqual(['idle']);
  });
});

describe('taking a store', () => {
  it('is exclusive: writing and deleting never at once', async () => {
    const store = await newStore();
    const writer = await takeStore(getPool(), store.id, 'writing', 'run-1');
    expect(writer).not.toBeNull();
    expect(await takeStore(getPool(), store.id, 'deleting', 'backfill-1')).toBeNull();
    expect(await takeStore(getPool(), store.id, 'writing', 'run-2')).toBeNull();
    expect(await releaseStore(getPool(), writer!)).toBe(true);
    expect(await takeStore(getPool(), store.id, 'deleting', 'backfill-1')).not.toBeNull();
  });

  it('a lease that is not renewed lapses, and the store can be taken again; the old holder cannot renew', async () => {
    const store = await newStore();
    const dead = await takeStore(getPool(), store.id, 'writing', 'crashed-run', 1);
    expect(dead).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1100));
    const next = await takeStore(getPool(), store.id, 'deleting', 'backfill');
    expect(next).not.toBeNull();
    expect(await renewLease(getPool(), dead!)).toBe(false);
    expect(await releaseStore(getPool(), dead!)).toBe(false);
    expect((await readActivity(getPool(), store.id))?.activity).toBe('deleting');
  });

  it('withStore releases whatever the work does, and explains a busy store', async () => {
    const store = await newStore();
    await expect(withStore(getPool(), store, 'writing', 'run', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect((await readActivity(getPool(), store.id))?.activity).toBe('idle');
    await takeStore(getPool(), store.id, 'deleting', 'other');
    const error = await withStore(getPool(), store, 'writing', 'run', async () => 1).catch((e) => e);
    expect(error.code).toBe('STORE_BUSY');
    expect(error.status).toBe(409);
    expect(error.userMessage).toMatch(new RegExp(`^The event store “${store.name}” is busy: a backfill is deleting events from it since \\d\\d:\\d\\d UTC \\(“other”\\)\\. Try again when it finishes\\.$`));
  });
});

describe('withStore when the lease is lost mid-work', () => {
  it('aborts the work, fails with LEASE_LOST even if the work finishes, and leaves the new holder alone', async () => {
    const store = await newStore();
    let sawAbort = false;
    const outcome = withStore(getPool(), store, 'writing', 'slow-run', async (_lease, signal) => {
      // The process stalls past its lease, and a backfill takes the store meanwhile.
      await getPool().query(`UPDATE event_stores SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [store.id]);
      expect(await takeStore(getPool(), store.id, 'deleting', 'backfill')).not.toBeNull();
      const deadline = Date.now() + 5_000;
      while (!signal.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      sawAbort = signal.aborted;
      return 'finished anyway';
    }, 1);
    await expect(outcome).rejects.toMatchObject({ code: 'LEASE_LOST', userMessage: expect.stringMatching(/^Stopped writing to the event store “.+”: this process lost its hold/) });
    expect(sawAbort).toBe(true);
    const holder = await readActivity(getPool(), store.id);
    expect(holder?.activity).toBe('deleting');
    expect(holderLabel(holder!.leaseOwner)).toBe('backfill');
  });

  it('keeps working through renewals while the lease holds', async () => {
    const store = await newStore();
    const result = await withStore(getPool(), store, 'writing', 'steady-run', async (_lease, signal) => {
      await new Promise((r) => setTimeout(r, 1_200)); // several renewals of a 1 s lease
      signal.throwIfAborted();
      return 'done';
    }, 1);
    expect(result).toBe('done');
    expect((await readActivity(getPool(), store.id))?.activity).toBe('idle');
  });
});

describe('two processes racing to take one store for writing', () => {
  it('exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const store = await newStore();
      const results = await Promise.all([race(store.id, 'A'), race(store.id, 'B')]);
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      expect(results.filter((r) => r === 'lost')).toHaveLength(1);
      const holder = await readActivity(getPool(), store.id);
      expect(holder?.activity).toBe('writing');
      expect(['A', 'B']).toContain(holderLabel(holder!.leaseOwner));
    }
  });
});

function race(storeId: string, label: string, activity = 'writing'): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, 'lib/testing/take-store-process.ts', storeId, label, activity], { env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', () => resolve(out.trim().split('\n').at(-1) ?? out));
  });
}

const TSX = path.join('node_modules', 'tsx', 'dist', 'cli.mjs');

describe('the owner token', () => {
  it('is made by takeStore, random per take, and the label alone cannot renew or release the store', async () => {
    const store = await newStore();
    const first = await takeStore(getPool(), store.id, 'writing', 'run 42');
    expect(first).toMatchObject({ label: 'run 42', activity: 'writing' });
    expect(first!.owner).toMatch(/^[A-Za-z0-9_-]{22}:run 42$/);
    const impostor = { ...first!, owner: 'run 42' };
    expect(await renewLease(getPool(), impostor)).toBe(false);
    expect(await releaseStore(getPool(), impostor)).toBe(false);
    expect(await releaseStore(getPool(), first!)).toBe(true);
    const second = await takeStore(getPool(), store.id, 'writing', 'run 42');
    expect(second!.owner).not.toBe(first!.owner);
    expect(await releaseStore(getPool(), first!)).toBe(false);
  });
});

describe('withStore when the database stops answering', () => {
  it('aborts the work before the lease could lapse: a renewal that fails does not count as held', async () => {
    const store = await newStore();
    const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 2 });
    const started = performance.now();
    let abortedAfter: number | undefined;
    let reason: unknown;
    const outcome = withStore(pool, store, 'writing', 'run 7', async (_lease, signal) => {
      await pool.end(); // every renewal from now on fails on a database error
      const until = performance.now() + 3_000;
      while (!signal.aborted && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
      abortedAfter = signal.aborted ? performance.now() - started : undefined;
      reason = signal.reason;
      return 'finished anyway';
    }, 1);
    await expect(outcome).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(abortedAfter).toBeDefined();
    expect(abortedAfter!).toBeLessThan(1_000); // the lease is 1 s; the deadline keeps a margin
    expect(abortedAfter!).toBeGreaterThan(700);
    expect((reason as { userMessage: string }).userMessage).toBe(
      `Stopped writing to the event store “${store.name}”: this process could not renew its hold on the store (the database did not answer), so it stopped before the hold could lapse. What was committed before stays; run it again to finish.`,
    );
  });
});

describe('busy messages say exactly what holds the store', () => {
  const at = new Date('2026-03-01T14:02:00Z');
  const later = new Date('2026-03-01T14:03:00Z');
  const earlier = new Date('2026-03-01T14:01:00Z');
  const state = (activity: 'idle' | 'writing' | 'deleting', leaseExpiresAt: Date | null, leaseOwner: string | null = 'tok:run 42') => ({ activity, leaseOwner, leaseExpiresAt, activityStartedAt: activity === 'idle' ? null : at });
  const message = (s: Parameters<typeof busyError>[0], now = new Date('2026-03-01T14:02:30Z')) => {
    const error = busyError(s, 'Orders', now);
    return [error.code, error.status, error.userMessage];
  };

  it('for writing, deleting, a lapsed lease, a released store and a deleted one', () => {
    expect(message(state('writing', later))).toEqual(['STORE_BUSY', 409, 'The event store “Orders” is busy: a run is writing to it since 14:02 UTC (“run 42”). Try again when it finishes.']);
    expect(message(state('deleting', later, 'tok:backfill by alice'))).toEqual(['STORE_BUSY', 409, 'The event store “Orders” is busy: a backfill is deleting events from it since 14:02 UTC (“backfill by alice”). Try again when it finishes.']);
    expect(message(state('writing', later, 'tok:'))).toEqual(['STORE_BUSY', 409, 'The event store “Orders” is busy: a run is writing to it since 14:02 UTC. Try again when it finishes.']);
    expect(message(state('writing', later, 'tok:undo of backfill 1a2b3c4d by alice'))).toEqual([
      'STORE_BUSY',
      409,
      'The event store “Orders” is busy: the undo of a backfill is writing to it since 14:02 UTC (“undo of backfill 1a2b3c4d by alice”). Try again when it finishes.',
    ]);
    expect(message(state('writing', earlier))).toEqual(['STORE_FREED', 409, 'The event store “Orders” was held by a run (“run 42”), which stopped renewing its hold at 14:01 UTC; the store is free now. Try again.']);
    expect(message(state('idle', null, null))).toEqual(['STORE_FREED', 409, 'The event store “Orders” was busy a moment ago and is free now. Try again.']);
    expect(message(null)).toEqual(['STORE_DELETED', 404, 'The event store “Orders” was deleted, so nothing more can be written to it.']);
  });

  it('withStore on a store that was deleted says so, not that a run is writing to it', async () => {
    const store = await newStore();
    await getPool().query('DELETE FROM event_stores WHERE id = $1', [store.id]);
    await expect(withStore(getPool(), store, 'writing', 'run', async () => 1)).rejects.toMatchObject({ code: 'STORE_DELETED', status: 404 });
  });
});

describe('two processes: a holder whose lease lapsed and was taken can no longer write', () => {
  it('its appends and deletes fail with LEASE_LOST and nothing it sent after is stored or removed', async () => {
    const store = await newStore();
    const a = holderProcess(store.id, 'writing', 'run A', 1);
    try {
      expect(await a.next()).toBe('took');
      expect(await a.send('append 0 10')).toBe('ok 10');
      await new Promise((r) => setTimeout(r, 1_200)); // A stalls past its lease
      expect(await race(store.id, 'backfill B', 'deleting')).toBe('won');
      expect(await a.send('append 10 20')).toBe('error LEASE_LOST');
      expect(await a.send('delete 0 10')).toBe('error LEASE_LOST');
    } finally {
      a.end();
    }
    const { rows } = await getPool().query(`SELECT event_id FROM events WHERE store_id = $1 ORDER BY event_id`, [store.id]);
    expect(rows.map((r) => r.event_id)).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`).sort());
    const holder = await readActivity(getPool(), store.id);
    expect(holder?.activity).toBe('deleting');
    expect(holderLabel(holder!.leaseOwner)).toBe('backfill B');
  });

  it('a write batch in flight when its lease lapses commits before the next holder takes the store, never after', async () => {
    const store = await newStore();
    const lease = await takeStore(getPool(), store.id, 'writing', 'run A', 1);
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      await appendEvents(client, store.id, [{ eventId: 'x', eventTime: new Date(), payload: { id: 'x' } }], { lease: lease! });
      await new Promise((r) => setTimeout(r, 1_200));
      let taken = false;
      const taking = race(store.id, 'run B').then((r) => ((taken = true), r));
      await new Promise((r) => setTimeout(r, 1_500));
      expect(taken).toBe(false); // B waits for A's batch: A's check still stands when A commits
      await client.query('COMMIT');
      expect(await taking).toBe('won');
    } finally {
      client.release();
    }
    const { rows } = await getPool().query(
      `SELECT e.ingested_at < s.activity_started_at AS before FROM events e JOIN event_stores s ON s.id = e.store_id WHERE e.store_id = $1`,
      [store.id],
    );
    expect(rows).toEqual([{ before: true }]);
  });
});

/** A lease-holder child process driven line by line (lib/testing/lease-holder-process.ts). */
function holderProcess(storeId: string, activity: string, label: string, leaseSeconds: number) {
  const child = spawn(process.execPath, [TSX, 'lib/testing/lease-holder-process.ts', storeId, activity, label, String(leaseSeconds)], { env: process.env });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`the holder process ended: ${stderr}`);
    return line.value;
  };
  return {
    next,
    send: (command: string) => {
      child.stdin.write(`${command}\n`);
      return next();
    },
    end: () => child.stdin.end('exit\n'),
  };
}
