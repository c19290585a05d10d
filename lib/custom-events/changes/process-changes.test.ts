import { afterAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { claimPendingChanges, processChanges, PROCESS_BATCH } from '@/lib/custom-events/changes/process-changes';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { createTrigger, updateTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { inTransaction } from '@/lib/db/transaction';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

afterAll(() => disconnectPrisma());

const AT = '2026-11-30T09:00:00Z';
const posted = (recordId: string) => ({ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: 10 }, previous: { Status: 'Draft', Amount: 10 }, time: AT });

async function world() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const invoicePosted = await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
  const invoiceGone = await createTrigger(getPrisma(), scope, { eventType: 'InvoiceDeleted', baseObject: 'Invoice', condition: "changeType == 'DELETE'" });
  await createTrigger(getPrisma(), scope, { eventType: 'PaymentMade', baseObject: 'Payment', condition: "changeType == 'INSERT'", active: false });
  return { tenant, scope, invoicePosted, invoiceGone };
}

const eventsOf = async (workspaceId: string) =>
  (
    await getPool().query(
      `SELECT b.event_type, b.trigger_version, b.record_id, b.change_type, c.current, c.previous, c.changed_fields, b.change_id::text, NOT EXISTS (SELECT 1 FROM pending_object_changes p WHERE p.id = c.id) AS processed
         FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.workspace_id = $1 ORDER BY b.change_id, b.event_type`,
      [workspaceId],
    )
  ).rows;
const waiting = async (workspaceId: string) => Number((await getPool().query(`SELECT count(*) AS n FROM pending_object_changes WHERE workspace_id = $1`, [workspaceId])).rows[0].n);

describe('processChanges', () => {
  it('turns each change that an active trigger matches into one business event, with the trigger’s version and the change’s values', async () => {
    const { tenant, scope, invoicePosted } = await world();
    const received = await receiveChanges(getPool(), scope, [
      { object: 'Invoice', recordId: 'I-1', changeType: 'INSERT', current: { Status: 'Posted' }, time: AT },
      posted('I-1'),
      { object: 'Invoice', recordId: 'I-1', changeType: 'UPDATE', current: { Status: 'Posted', Amount: 12 }, previous: { Status: 'Posted', Amount: 10 }, time: AT },
      { object: 'Invoice', recordId: 'I-1', changeType: 'DELETE', previous: { Status: 'Posted' }, time: AT },
      { object: 'Payment', recordId: 'P-1', changeType: 'INSERT', current: { Amount: 5 }, time: AT },
    ]);
    expect(await processChanges(getPool(), tenant.workspace.id)).toEqual({ changes: 5, businessEvents: 2 });
    const events = await eventsOf(tenant.workspace.id);
    expect(events.map((e) => [e.event_type, e.change_id])).toEqual([
      ['InvoicePosted', received.changes[1]!.id],
      ['InvoiceDeleted', received.changes[3]!.id],
    ]);
    expect(events[0]).toMatchObject({ trigger_version: invoicePosted.version, record_id: 'I-1', change_type: 'UPDATE', current: { Status: 'Posted', Amount: 10 }, previous: { Status: 'Draft', Amount: 10 }, changed_fields: ['Status'], processed: true });
    expect(events[1]).toMatchObject({ change_type: 'DELETE', current: {}, previous: { Status: 'Posted' } });
    expect(await waiting(tenant.workspace.id)).toBe(0);
    // Nothing is left, so a second pass stores nothing twice.
    expect(await processChanges(getPool(), tenant.workspace.id)).toEqual({ changes: 0, businessEvents: 0 });
  });

  it('uses a trigger as it is when the change is processed: the edited condition, with its new version', async () => {
    const { tenant, scope, invoicePosted } = await world();
    const edited = await updateTrigger(getPrisma(), scope, invoicePosted.id, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "Invoice.Amount > 100" });
    await receiveChanges(getPool(), scope, [posted('I-2'), { ...posted('I-3'), current: { Status: 'Posted', Amount: 500 }, previous: { Status: 'Posted', Amount: 500 } }]);
    await processChanges(getPool(), tenant.workspace.id);
    expect((await eventsOf(tenant.workspace.id)).map((e) => [e.event_type, e.record_id, e.trigger_version])).toEqual([['InvoicePosted', 'I-3', edited.version]]);
  });

  it('processes more changes than one batch, all of them, in order, and two processors at once store each event once', async () => {
    const { tenant, scope } = await world();
    const many = Array.from({ length: PROCESS_BATCH + 5 }, (_, i) => posted(`I-${i}`));
    await receiveChanges(getPool(), scope, many.slice(0, 1000));
    await receiveChanges(getPool(), scope, many.slice(1000));
    const reports = await Promise.all([processChanges(getPool(), tenant.workspace.id), processChanges(getPool(), tenant.workspace.id)]);
    expect(reports.reduce((n, r) => n + r.changes, 0)).toBe(PROCESS_BATCH + 5);
    const events = await eventsOf(tenant.workspace.id);
    expect(events).toHaveLength(PROCESS_BATCH + 5);
    expect(new Set(events.map((e) => e.change_id)).size).toBe(PROCESS_BATCH + 5);
    expect(await waiting(tenant.workspace.id)).toBe(0);
  });

  it('leaves a batch whose transaction fails unprocessed, whole, so the next pass takes it again', async () => {
    const { tenant, scope } = await world();
    await receiveChanges(getPool(), scope, [posted('I-9')]);
    const client = await getPool().connect();
    try {
      // A lock on the change's queue row makes the claim wait past a short statement timeout.
      await client.query('BEGIN');
      await client.query(`SELECT 1 FROM pending_object_changes WHERE workspace_id = $1 FOR UPDATE`, [tenant.workspace.id]);
      await expect(processWithTimeout(tenant.workspace.id)).rejects.toThrow(/statement timeout|canceling statement/);
      expect(await eventsOf(tenant.workspace.id)).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect(await waiting(tenant.workspace.id)).toBe(1);
    expect(await processChanges(getPool(), tenant.workspace.id)).toEqual({ changes: 1, businessEvents: 1 });
  });
});

/** processChanges on a pool whose statements time out after 300 ms. */
async function processWithTimeout(workspaceId: string) {
  const { createPool } = await import('@/lib/db/create-pool');
  const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 1, options: '-c statement_timeout=300' });
  try {
    return await processChanges(pool, workspaceId);
  } finally {
    await pool.end();
  }
}

type PlanNode = { 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; 'Rows Removed by Filter'?: number; Plans?: PlanNode[] };

describe('claimPendingChanges', () => {
  it('reads only the queue rows it claims, even where the statistics say the workspace has none waiting', async () => {
    const { scope } = await world();
    // Statistics taken before the workspace had a waiting change (autovacuum may be off, as on CI's server).
    await getPool().query('ANALYZE pending_object_changes');
    const received = await receiveChanges(getPool(), scope, Array.from({ length: 1_000 }, (_, i) => posted(`I-${i}`)));
    const ids = received.changes.slice(500, 510).map((c) => c.id);
    // A long queue (rows without a change behind them, ids no change can have: only their count matters here), so that reading it
    // whole costs the planner more than looking rows up; with a few pages, a scan is the cheaper plan.
    await getPool().query(`INSERT INTO pending_object_changes (workspace_id, id) SELECT $1::uuid, -g FROM generate_series(1, 20000) g`, [scope.workspaceId]);
    // Each statement of the claim also runs under EXPLAIN ANALYZE (undone by a savepoint), adding up the rows
    // its scans of the queue and of the changes read (returned, or read and dropped by a filter), over all loops.
    let read = 0;
    const count = (node: PlanNode): number =>
      (node['Relation Name'] === 'pending_object_changes' || node['Relation Name'] === 'object_changes' ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1) : 0) +
      (node.Plans ?? []).reduce((sum, child) => sum + count(child), 0);
    const claimed = await inTransaction(getPool(), async (client) => {
      const explaining = {
        query: async (sql: string, params: unknown[]) => {
          await client.query('SAVEPOINT explained');
          const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
          await client.query('ROLLBACK TO SAVEPOINT explained');
          read += count((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
          return client.query(sql, params);
        },
      } as unknown as pg.ClientBase;
      return claimPendingChanges(explaining, scope.workspaceId, { ids });
    });
    expect(claimed.map((c) => c.id)).toEqual(ids);
    // Each claimed row found by its key, deleted by its address, its change read by its id: a few times the ten
    // claimed. Filtering the workspace's queue by id (the plan these statistics gave the claim before) read all
    // 21,000 rows; a bitmap of the workspace's changes read all 1,000.
    expect(read).toBeLessThanOrEqual(50);
    expect(await waiting(scope.workspaceId)).toBe(20_990);
  });
});
