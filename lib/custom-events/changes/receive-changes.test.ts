import { afterAll, describe, expect, it } from 'vitest';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

afterAll(() => disconnectPrisma());

const AT = '2026-11-30T09:00:00Z';
const update = (recordId: string, amount: number) => ({ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: amount }, previous: { Status: 'Draft', Amount: amount }, time: AT });

async function world() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
  return { tenant, scope };
}

/** Moves the change ids forward to 3 below the next power of ten, so the next batch's ids gain a digit midway. */
async function idsCrossADigit(): Promise<void> {
  const { rows } = await getPool().query<{ n: string }>(`SELECT nextval('object_changes_id_seq')::text AS n`);
  let power = 10n;
  while (power <= BigInt(rows[0]!.n) + 4n) power *= 10n;
  await getPool().query(`SELECT setval('object_changes_id_seq', $1::bigint)`, [String(power - 4n)]);
}

const changesOf = async (workspaceId: string) =>
  (await getPool().query<{ id: string; amount: number; processed: boolean }>(`SELECT id::text, (current->>'Amount')::int AS amount, NOT EXISTS (SELECT 1 FROM pending_object_changes p WHERE p.workspace_id = c.workspace_id AND p.id = c.id) AS processed FROM object_changes c WHERE workspace_id = $1 ORDER BY c.id`, [workspaceId])).rows;

describe('receiveChanges', () => {
  it('gives a batch ids in batch order, also where the ids gain a digit (999 then 1000, not 1000 then 999)', async () => {
    // Other test files take ids from the same sequence meanwhile and may carry it past the digit before this
    // batch: then again, in a new workspace (up to five times).
    const digits = (ids: bigint[]) => new Set(ids.map((id) => String(id).length)).size;
    let scope: Awaited<ReturnType<typeof world>>['scope'];
    let ids: bigint[] = [];
    for (let attempt = 0; attempt < 5 && digits(ids) !== 2; attempt++) {
      ({ scope } = await world());
      await idsCrossADigit();
      ids = (await receiveChanges(getPool(), scope, Array.from({ length: 8 }, (_, i) => update('I-1', i)))).changes.map((c) => BigInt(c.id));
    }
    expect(digits(ids)).toBe(2);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect((await changesOf(scope!.workspaceId)).map((c) => c.amount)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('with evaluate, stores the batch already processed, with its business events, when nothing older waits', async () => {
    const { scope } = await world();
    const received = await receiveChanges(getPool(), scope, [update('I-1', 5), { ...update('I-2', 6), previous: { Status: 'Posted', Amount: 1 } }], { evaluate: true });
    expect(received.evaluated).toEqual({ changes: 2, businessEvents: 1 });
    expect((await changesOf(scope.workspaceId)).every((c) => c.processed)).toBe(true);
    const events = await getPool().query(`SELECT b.record_id, c.changed_fields FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.workspace_id = $1`, [scope.workspaceId]);
    expect(events.rows).toEqual([{ record_id: 'I-1', changed_fields: ['Status'] }]);
    // Sent again with the same changeIds, nothing is stored or evaluated twice.
    const once = [{ ...update('I-3', 7), changeId: 'c-1' }];
    await receiveChanges(getPool(), scope, once, { evaluate: true });
    expect((await receiveChanges(getPool(), scope, once, { evaluate: true })).evaluated).toEqual({ changes: 0, businessEvents: 0 });
    expect(Number((await getPool().query(`SELECT count(*) FROM business_events WHERE workspace_id = $1`, [scope.workspaceId])).rows[0].count)).toBe(2);
  });

  it('refuses a change holding text PostgreSQL cannot store (NUL, broken Unicode) and stores the rest of the batch', async () => {
    const { scope } = await world();
    const received = await receiveChanges(getPool(), scope, [
      update('I-1', 1),
      update('I-\u0000', 2),
      { ...update('I-3', 3), current: { Status: 'Posted\uDC00', Amount: 3 } },
      { ...update('I-4', 4), changeId: 'c\u0000' },
      update('I-5', 5),
    ]);
    expect(received).toMatchObject({ accepted: 2, rejected: 3 });
    expect(received.rejections.map((r) => [r.position, r.field])).toEqual([
      [1, 'recordId'],
      [2, 'current.Status'],
      [3, 'changeId'],
    ]);
    expect(received.rejections[2]!.reason).toMatch(/NUL character/);
    expect((await changesOf(scope.workspaceId)).map((c) => c.amount)).toEqual([1, 5]);
  });

  it('stores text that COPY must escape (tabs, newlines, backslashes, quotes, \\N) exactly as sent, with or without changeIds', async () => {
    const awkward = ['a\tb', 'line\nbreak\r', 'back\\slash', '\\N', '"quoted"', '{braces,comma}', 'emoji 😀', ''];
    const changes = awkward.map((text, i) => ({
      object: 'Invoice',
      recordId: `R\t${i}\\${text || 'x'}`,
      changeType: 'UPDATE',
      current: { Status: text, Amount: i === 0 ? -0 : 1e21 },
      previous: { Status: `${text}\n` },
      time: '2026-11-30T09:00:00.123Z',
      ...(i % 2 === 1 ? { changeId: `id\t${i}\\N` } : {}),
    }));
    // With changeIds (half of them): the COPY under a savepoint. Without: the plain COPY.
    for (const batch of [changes, changes.map(({ changeId: _, ...c }) => c)]) {
      const fresh = await world();
      const received = await receiveChanges(getPool(), fresh.scope, batch);
      expect(received).toMatchObject({ accepted: awkward.length, duplicates: 0, rejected: 0 });
      const { rows } = await getPool().query(
        `SELECT change_id, record_id, current, previous, changed_fields, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
                EXISTS (SELECT 1 FROM pending_object_changes p WHERE p.workspace_id = c.workspace_id AND p.id = c.id) AS waiting
           FROM object_changes c WHERE workspace_id = $1 ORDER BY id`,
        [fresh.scope.workspaceId],
      );
      expect(rows).toEqual(
        batch.map((c) => ({
          change_id: (c as { changeId?: string }).changeId ?? null,
          record_id: c.recordId,
          current: { Status: c.current.Status, Amount: c.current.Amount === 0 ? 0 : 1e21 },
          previous: c.previous,
          changed_fields: ['Status', 'Amount'],
          at: '2026-11-30T09:00:00.123Z',
          waiting: true,
        })),
      );
    }
  });

  it('stores the new changes of a batch that repeats some changeIds, in order, and the repeated ones once', async () => {
    const { scope } = await world();
    const first = await receiveChanges(getPool(), scope, [{ ...update('I-1', 1), changeId: 'a' }, { ...update('I-1', 2), changeId: 'b' }]);
    const again = await receiveChanges(getPool(), scope, [update('I-1', 3), { ...update('I-1', 2), changeId: 'b' }, { ...update('I-1', 4), changeId: 'c' }]);
    expect(again).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(again.changes.map((c) => c.duplicate)).toEqual([false, true, false]);
    expect(again.changes[1]!.id).toBe(first.changes[1]!.id);
    expect((await changesOf(scope.workspaceId)).map((c) => [c.amount, c.processed])).toEqual([[1, false], [2, false], [3, false], [4, false]]);
  });

  it('stores a changeId once when two requests send it at the same time', async () => {
    const { scope } = await world();
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => receiveChanges(getPool(), scope, [{ ...update('I-1', i), changeId: 'same' }, { ...update(`I-${i + 2}`, 10 + i), changeId: `own-${i}` }])));
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(3);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(5);
    const stored = await getPool().query(`SELECT change_id FROM object_changes WHERE workspace_id = $1 ORDER BY change_id`, [scope.workspaceId]);
    expect(stored.rows.map((r) => r.change_id)).toEqual(['own-0', 'own-1', 'own-2', 'own-3', 'same']);
  });

  it('with evaluate, evaluates a few older waiting changes first, in the same transaction', async () => {
    const { scope } = await world();
    await receiveChanges(getPool(), scope, [update('I-1', 1)]);
    const received = await receiveChanges(getPool(), scope, [update('I-1', 2)], { evaluate: true });
    expect(received.evaluated).toEqual({ changes: 2, businessEvents: 2 });
    expect((await changesOf(scope.workspaceId)).map((c) => c.processed)).toEqual([true, true]);
    const order = await getPool().query(`SELECT (c.current->>'Amount')::int AS amount FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.workspace_id = $1 ORDER BY b.processed_at, b.change_id`, [scope.workspaceId]);
    expect(order.rows.map((r) => r.amount)).toEqual([1, 2]);
  });

  it('with evaluate, queues the batch behind more older waiting changes than it takes along, and processChanges takes them in order', async () => {
    const { tenant, scope } = await world();
    await receiveChanges(getPool(), scope, [update('I-1', 1), update('I-1', 2)]);
    const received = await receiveChanges(getPool(), scope, [update('I-1', 3)], { evaluate: true, maxTakenAlong: 1 });
    expect(received.evaluated).toBeNull();
    expect((await changesOf(scope.workspaceId)).map((c) => c.processed)).toEqual([false, false, false]);
    expect(await processChanges(getPool(), tenant.workspace.id, { batchSize: 2 })).toEqual({ changes: 3, businessEvents: 3 });
    const events = await getPool().query(`SELECT (c.current->>'Amount')::int AS amount FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.workspace_id = $1 ORDER BY b.processed_at, b.change_id`, [scope.workspaceId]);
    expect(events.rows.map((r) => r.amount)).toEqual([1, 2, 3]);
  });

  it('with evaluate, waits for a processor that holds older changes of the workspace, then evaluates after it', async () => {
    const { scope } = await world();
    const older = await receiveChanges(getPool(), scope, [update('I-1', 1)]);
    const holder = await getPool().connect();
    try {
      // Another processor has claimed the older change and not committed yet.
      await holder.query('BEGIN');
      await holder.query(`DELETE FROM pending_object_changes WHERE id = $1`, [older.changes[0]!.id]);
      const newer = receiveChanges(getPool(), scope, [update('I-1', 2)], { evaluate: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await holder.query('ROLLBACK');
      // The claim is back (rolled back): the request takes the older change along, before its own.
      expect((await newer).evaluated).toEqual({ changes: 2, businessEvents: 2 });
    } finally {
      holder.release();
    }
  });
});

describe('processChanges', () => {
  it('takes waiting changes in id order where the ids gain a digit', async () => {
    const { tenant, scope } = await world();
    await idsCrossADigit();
    for (let i = 0; i < 6; i++) await receiveChanges(getPool(), scope, [update('I-1', i)]);
    // Batches of two, each its own transaction (and so its events' own processed_at): the first batch must be the oldest two.
    expect(await processChanges(getPool(), tenant.workspace.id, { batchSize: 2 })).toEqual({ changes: 6, businessEvents: 6 });
    const events = await getPool().query<{ amount: number }>(
      `SELECT (c.current->>'Amount')::int AS amount FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.workspace_id = $1 ORDER BY b.processed_at, b.change_id`,
      [scope.workspaceId],
    );
    expect(events.rows.map((r) => r.amount)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
