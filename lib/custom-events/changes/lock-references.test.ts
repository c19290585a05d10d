import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { storeBusinessEvents } from '@/lib/custom-events/business-events/store-business-events';
import { insertObjectChanges, receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { queueChanges } from '@/lib/custom-events/changes/process-changes';
import { createTrigger, deleteTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { inTransaction } from '@/lib/db/transaction';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

afterAll(() => disconnectPrisma());

/**
 * object_changes, pending_object_changes and business_events have no foreign keys (prisma/schema.prisma,
 * BusinessEvent): their writers lock the references once per statement (lockReferences), and database
 * triggers do what ON DELETE did. These tests hold them to what the foreign keys guaranteed.
 */
const AT = '2026-11-30T09:00:00Z';
const posted = (recordId: string) => ({ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted' }, previous: { Status: 'Draft' }, time: AT });
const change = { object: 'Invoice', recordId: 'I-1', changeType: 'UPDATE' as const, current: { Status: 'Posted' }, previous: { Status: 'Draft' }, time: AT };

async function world() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const trigger = await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
  return { scope, trigger };
}

const count = async (sql: string, values: unknown[]) => (await getPool().query<{ n: number }>(`SELECT (${sql})::int AS n`, values)).rows[0]!.n;
const rowsOf = (workspaceId: string) =>
  Promise.all(['object_changes', 'pending_object_changes', 'business_events'].map((table) => count(`SELECT count(*) FROM ${table} WHERE workspace_id = $1`, [workspaceId])));

/** Whether `promise` is still pending after `ms`. */
async function stillWaiting(promise: Promise<unknown>, ms = 300): Promise<boolean> {
  return Promise.race([promise.then(() => false, () => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms))]);
}

describe('references checked per statement', () => {
  it('a deleted workspace takes its changes, waiting changes and business events with it', async () => {
    const { scope } = await world();
    await receiveChanges(getPool(), scope, [posted('I-1'), posted('I-2')], { evaluate: true });
    await receiveChanges(getPool(), scope, [posted('I-3')]);
    expect(await rowsOf(scope.workspaceId)).toEqual([3, 1, 2]);
    await getPool().query('DELETE FROM workspaces WHERE id = $1', [scope.workspaceId]);
    expect(await rowsOf(scope.workspaceId)).toEqual([0, 0, 0]);
  });

  it('a deleted trigger leaves its business events, with trigger_id null', async () => {
    const { scope, trigger } = await world();
    await receiveChanges(getPool(), scope, [posted('I-1')], { evaluate: true });
    await deleteTrigger(getPrisma(), scope, trigger.id);
    const { rows } = await getPool().query(`SELECT trigger_id, event_type, trigger_version FROM business_events WHERE workspace_id = $1`, [scope.workspaceId]);
    expect(rows).toEqual([{ trigger_id: null, event_type: 'InvoicePosted', trigger_version: 1 }]);
  });

  it('nothing is written for a workspace that is gone', async () => {
    const missing = randomUUID();
    await expect(inTransaction(getPool(), (client) => insertObjectChanges(client, missing, 'api', [{ changeId: null, change }]))).rejects.toMatchObject({ code: 'WORKSPACE_GONE' });
    await expect(inTransaction(getPool(), (client) => queueChanges(client, missing, ['1']))).rejects.toMatchObject({ code: 'WORKSPACE_GONE' });
    expect(await rowsOf(missing)).toEqual([0, 0, 0]);
  });

  it('no business event names a trigger that is gone, nor another workspace’s trigger', async () => {
    const { scope, trigger } = await world();
    const other = await world();
    const [stored] = (await receiveChanges(getPool(), scope, [posted('I-1')])).changes;
    const match = { triggerId: trigger.id, triggerVersion: 1, eventType: 'InvoicePosted', condition: 'true', changeId: stored!.id };
    await expect(inTransaction(getPool(), (client) => storeBusinessEvents(client, scope.workspaceId, [{ ...match, triggerId: other.trigger.id }]))).rejects.toMatchObject({ code: 'TRIGGER_GONE' });
    await deleteTrigger(getPrisma(), scope, trigger.id);
    await expect(inTransaction(getPool(), (client) => storeBusinessEvents(client, scope.workspaceId, [match]))).rejects.toMatchObject({ code: 'TRIGGER_GONE' });
    expect(await count('SELECT count(*) FROM business_events WHERE workspace_id = $1', [scope.workspaceId])).toBe(0);
  });

  it('a workspace deleted while changes are being stored waits for them, then deletes them too: no orphans', async () => {
    const { scope } = await world();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const writer = inTransaction(getPool(), async (client) => {
      await insertObjectChanges(client, scope.workspaceId, 'api', [{ changeId: null, change }]);
      inserted();
      await held;
    });
    await insertedYet;
    const deletion = getPool().query('DELETE FROM workspaces WHERE id = $1', [scope.workspaceId]);
    expect(await stillWaiting(deletion)).toBe(true);
    release();
    await writer;
    await deletion;
    expect(await rowsOf(scope.workspaceId)).toEqual([0, 0, 0]);
  });

  it('a trigger deleted while its business events are being stored waits for them, then clears them', async () => {
    const { scope, trigger } = await world();
    const [stored] = (await receiveChanges(getPool(), scope, [posted('I-1')])).changes;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const writtenYet = new Promise<void>((resolve) => (written = resolve));
    const writer = inTransaction(getPool(), async (client) => {
      await storeBusinessEvents(client, scope.workspaceId, [{ triggerId: trigger.id, triggerVersion: 1, eventType: 'InvoicePosted', condition: "changed('Status') && Invoice.Status == 'Posted'", changeId: stored!.id }]);
      written();
      await held;
    });
    await writtenYet;
    const deletion = deleteTrigger(getPrisma(), scope, trigger.id);
    expect(await stillWaiting(deletion)).toBe(true);
    release();
    await writer;
    await deletion;
    const { rows } = await getPool().query(`SELECT trigger_id FROM business_events WHERE workspace_id = $1`, [scope.workspaceId]);
    expect(rows).toEqual([{ trigger_id: null }]);
  });
});
