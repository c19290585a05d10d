import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import {
  busyError,
  effectiveActivity,
  readActivity,
  releaseStore,
  renewLease,
  storeStatusLabel,
  takeStore,
  TRANSITIONS,
  withStore,
} from '@/lib/event-store/store-status';
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
    expect(error.userMessage).toMatch(new RegExp(`^The event store “${store.name}” is busy: a backfill is deleting events from it since \\d\\d:\\d\\d UTC\\. Try again when it finishes\\.$`));
    expect(busyError({ activity: 'writing', leaseOwner: 'x', leaseExpiresAt: null, activityStartedAt: null }, 's').userMessage).toContain('a run is writing to it');
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
    expect(await readActivity(getPool(), store.id)).toMatchObject({ activity: 'deleting', leaseOwner: 'backfill' });
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
      expect(['A', 'B']).toContain(holder?.leaseOwner);
    }
  });
});

function race(storeId: string, owner: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'lib/testing/take-store-process.ts', storeId, owner], { env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', () => resolve(out.trim().split('\n').at(-1) ?? out));
  });
}
