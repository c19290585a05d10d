import type pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { FRESH_FOR_MS, freshChangesKept, keepFreshChanges, MAX_FRESH_CHANGES, takeFreshChange, takeFreshChanges } from '@/lib/custom-events/changes/fresh-changes';
import { readObjectChange } from '@/lib/custom-events/changes/object-change';
import { claimPendingChanges, queueChanges, type StoredChange } from '@/lib/custom-events/changes/process-changes';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { getPool } from '@/lib/db/pool';
import { inTransaction } from '@/lib/db/transaction';
import { disconnectPrisma } from '@/lib/db/prisma';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

afterAll(() => disconnectPrisma());

let endTaking: (() => void) | null = null;
afterEach(() => {
  endTaking?.();
  endTaking = null;
});

// As the JetStream route leaves them to the workers, announced here to nobody: queued (one by one), no message.
const announceNothing = (workspaceId: string) => ({ announce: (client: pg.ClientBase, stored: readonly { id: string }[]) => queueChanges(client, workspaceId, stored.map((c) => c.id)) });

// Values that JSON and jsonb write differently from how the route read them, or that are easy to get wrong.
const awkward = [
  { object: 'Invoice', recordId: 'I-1', changeType: 'INSERT', current: { Status: 'Draft', Amount: -0, Balance: 1e21, InvoiceNumber: 'Ünïcode “quoted” \\ back\nline 😀' }, time: '2026-11-30T09:15:00.123456+01:00' },
  { object: 'Invoice', recordId: 'I-1', changeType: 'UPDATE', current: { Status: 'Posted', Amount: 1.5, Balance: null }, previous: { Status: 'Draft', Amount: 0.1 + 0.2 }, time: '2026-11-30T09:16:00Z' },
  { object: 'Account', recordId: 'A-1', changeType: 'DELETE', previous: { Status: 'Active', Name: 'Acme' }, time: '2026-11-30T09:17:00.9999Z' },
];

async function world() {
  const tenant = await makeTenant();
  return scopeOf(tenant.workspace, tenant.owner);
}

/** The changes as claimPendingChanges reads them back from object_changes (nothing kept), claimed and put back. */
async function readBack(workspaceId: string, ids: string[]): Promise<StoredChange[]> {
  const reading = new Error('rolled back on purpose');
  let read: StoredChange[] = [];
  await inTransaction(getPool(), async (client) => {
    read = await claimPendingChanges(client, workspaceId, { ids });
    throw reading;
  }).catch((error: unknown) => {
    if (error !== reading) throw error;
  });
  return read;
}

describe('fresh changes (changes this process stored, kept for its change workers)', () => {
  it('are what PostgreSQL stored: a claim that takes them returns what reading them back returns, awkward values included', async () => {
    const scope = await world();
    endTaking = takeFreshChanges();
    const received = await receiveChanges(getPool(), scope, awkward, announceNothing(scope.workspaceId));
    expect(received.accepted).toBe(3);
    const ids = received.changes.map((c) => c.id);
    expect(freshChangesKept()).toBeGreaterThanOrEqual(3);

    endTaking();
    endTaking = null;
    expect(freshChangesKept()).toBe(0);
    const stored = await readBack(scope.workspaceId, ids);
    expect(stored).toHaveLength(3);
    expect(Object.is((stored[0]!.current as { Amount: number }).Amount, 0)).toBe(true);

    // The same batch again in another workspace, this time taken from what the route kept.
    const other = await world();
    endTaking = takeFreshChanges();
    const again = await receiveChanges(getPool(), other, awkward, announceNothing(other.workspaceId));
    const otherIds = again.changes.map((c) => c.id);
    const taken = await inTransaction(getPool(), (client) => claimPendingChanges(client, other.workspaceId, { ids: otherIds }));
    expect(freshChangesKept()).toBe(0);
    expect(taken.map((c) => ({ ...c, id: '' }))).toEqual(stored.map((c) => ({ ...c, id: '' })));
    expect(taken.map((c) => c.id)).toEqual(otherIds);
    // Claimed once: a second claim finds nothing waiting.
    expect(await inTransaction(getPool(), (client) => claimPendingChanges(client, other.workspaceId, { ids: otherIds }))).toEqual([]);
  });

  it('mixes kept and read-back changes in id order, and checks the read-back ones belong to the workspace', async () => {
    const scope = await world();
    const first = await receiveChanges(getPool(), scope, awkward.slice(0, 2), announceNothing(scope.workspaceId)); // not kept: no worker yet
    endTaking = takeFreshChanges();
    const second = await receiveChanges(getPool(), scope, awkward.slice(2), announceNothing(scope.workspaceId));
    const ids = [...first.changes, ...second.changes].map((c) => c.id);
    const claimed = await inTransaction(getPool(), (client) => claimPendingChanges(client, scope.workspaceId, { ids: [...ids].reverse() }));
    expect(claimed.map((c) => c.id)).toEqual(ids);
    expect(claimed.map((c) => c.changeType)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(claimed[2]!.previous).toEqual({ Status: 'Active', Name: 'Acme' });
  });

  it('are put back for reading when the claiming transaction rolls back: the next claim reads them from PostgreSQL', async () => {
    const scope = await world();
    endTaking = takeFreshChanges();
    const received = await receiveChanges(getPool(), scope, awkward, announceNothing(scope.workspaceId));
    const ids = received.changes.map((c) => c.id);
    const first = await readBack(scope.workspaceId, ids); // takes them from memory, then rolls back
    expect(freshChangesKept()).toBe(0);
    const second = await inTransaction(getPool(), (client) => claimPendingChanges(client, scope.workspaceId, { ids }));
    expect(second).toEqual(first);
  });

  it('are not kept when no worker runs here, when the batch is evaluated by the request, or when the transaction fails', async () => {
    const scope = await world();
    await receiveChanges(getPool(), scope, awkward, announceNothing(scope.workspaceId));
    expect(freshChangesKept()).toBe(0);
    endTaking = takeFreshChanges();
    await receiveChanges(getPool(), scope, awkward, { evaluate: true });
    expect(freshChangesKept()).toBe(0);
    const failing = { announce: async () => Promise.reject(new Error('outbox down')) };
    await expect(receiveChanges(getPool(), scope, awkward, failing)).rejects.toThrow('outbox down');
    expect(freshChangesKept()).toBe(0);
  });

  it('are dropped FRESH_FOR_MS after they were kept (another process may have claimed them), at the next keep', () => {
    endTaking = takeFreshChanges();
    const change = (id: string): StoredChange => ({ id, object: 'Invoice', recordId: 'I', changeType: 'INSERT', current: {}, previous: {}, time: '2026-11-30T09:00:00.000Z' });
    const now = vi.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_000_000);
      keepFreshChanges([change('-1'), change('-2')]);
      now.mockReturnValue(1_000_000 + FRESH_FOR_MS / 2);
      keepFreshChanges([change('-3')]);
      now.mockReturnValue(1_000_000 + FRESH_FOR_MS + 1);
      keepFreshChanges([change('-4')]);
      expect(freshChangesKept()).toBe(2);
      expect(takeFreshChange('-1')).toBeUndefined();
      expect(takeFreshChange('-3')?.id).toBe('-3');
    } finally {
      now.mockRestore();
    }
  });

  it('are kept up to MAX_FRESH_CHANGES, no more', () => {
    endTaking = takeFreshChanges();
    const change = (i: number): StoredChange => ({ id: String(i), object: 'Invoice', recordId: 'I', changeType: 'INSERT', current: {}, previous: {}, time: '2026-11-30T09:00:00.000Z' });
    keepFreshChanges(Array.from({ length: MAX_FRESH_CHANGES + 10 }, (_, i) => change(-1 - i)));
    expect(freshChangesKept()).toBe(MAX_FRESH_CHANGES);
  });
});

describe('readObjectChange', () => {
  it('reads -0 as 0, as it is stored', () => {
    const reading = readObjectChange(awkward[0], 0);
    expect(reading.ok && Object.is((reading.change.current as { Amount: number }).Amount, 0)).toBe(true);
  });
});
