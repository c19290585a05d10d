import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { IDLE, readStoreHolder } from '@/lib/event-store/store-holder';
import { releaseStore, takeStore } from '@/lib/event-store/store-status';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';
import { makeStore, makeTenant, scopeOf, unique } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
});
afterAll(() => closePool());

const scopeA = () => scopeOf(a.workspace, a.owner);
const newStore = () => makeStore(a.workspace.id, a.definition.id);

describe('readStoreHolder', () => {
  it('is idle for a free store, and for a store whose holder stopped renewing (a lapsed lease)', async () => {
    const store = await newStore();
    expect(await readStoreHolder(scopeA(), store.id)).toEqual(IDLE);
    await takeStore(getPool(), store.id, 'deleting', 'backfill 00000000 by gone@example.com', 0.05);
    await new Promise((r) => setTimeout(r, 100));
    expect(await readStoreHolder(scopeA(), store.id)).toEqual(IDLE);
  });

  it("answers 404 for another workspace's store and for a malformed id", async () => {
    await expect(readStoreHolder(scopeA(), b.store.id)).rejects.toMatchObject({ status: 404 });
    await expect(readStoreHolder(scopeA(), 'not-a-uuid')).rejects.toMatchObject({ status: 404 });
  });

  it('names a run holding the store by its meter and links the run', async () => {
    const { meter, targetStoreId } = await makeCopyMeter(a);
    const lease = (await takeStore(getPool(), targetStoreId, 'writing', 'run 1234 of copy'))!;
    const run = await getPrisma().meterRun.create({
      data: { workspaceId: a.workspace.id, meterId: meter.id, meterVersion: 1, scope: { kind: 'all' }, status: 'running', idempotencyKey: unique('k'), createdBy: a.owner.email },
    });
    await getPrisma().meterRunTarget.create({ data: { runId: run.id, storeId: targetStoreId, leaseOwner: lease.owner } });
    const holder = await readStoreHolder(scopeA(), targetStoreId);
    expect(holder).toMatchObject({ activity: 'writing', label: `the run of “${meter.name}” started by ${a.owner.email}`, href: `/runs/${run.id}` });
    expect(Date.parse(holder.since!)).not.toBeNaN();
    await releaseStore(getPool(), lease);
    expect(await readStoreHolder(scopeA(), targetStoreId)).toEqual(IDLE);
  });

  it('names a backfill holding the store by its file and links its page, for its confirm (deleting) and its undo (writing)', async () => {
    const store = await newStore();
    for (const activity of ['deleting', 'writing'] as const) {
      const lease = (await takeStore(getPool(), store.id, activity, 'backfill 0193ab12 by ann@example.com'))!;
      const backfill = await getPrisma().backfill.create({
        data: { workspaceId: a.workspace.id, storeId: store.id, fileName: 'old.csv', sha256: '00', requested: 1, matched: 1, createdBy: 'ann@example.com', leaseOwner: lease.owner },
      });
      const what = activity === 'deleting' ? 'the backfill of “old.csv”' : 'the undo of the backfill of “old.csv”';
      expect(await readStoreHolder(scopeA(), store.id)).toMatchObject({
        activity,
        label: `${what} (backfill 0193ab12 by ann@example.com)`,
        href: `/event-stores/${store.id}/backfill?b=${backfill.id}`,
      });
      await releaseStore(getPool(), lease);
    }
  });

  it('falls back to the lease label when no run or backfill can be found', async () => {
    const store = await newStore();
    const lease = (await takeStore(getPool(), store.id, 'writing', 'a script of ops'))!;
    expect(await readStoreHolder(scopeA(), store.id)).toMatchObject({ activity: 'writing', label: 'a script of ops', href: null });
    await releaseStore(getPool(), lease);
  });
});
