import type pg from 'pg';
import { POST as ingest } from '@/app/api/v1/event-stores/[id]/events/route';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletedEventsCsv, unmatchedRowsCsv } from '@/lib/backfills/backfill-csv';
import { confirmBackfill } from '@/lib/backfills/confirm-backfill';
import { previewBackfill } from '@/lib/backfills/preview-backfill';
import { getBackfill, getBackfillPreview, listBackfills } from '@/lib/backfills/read-backfills';
import { getBackfillTemplate } from '@/lib/backfills/template';
import { undoBackfill } from '@/lib/backfills/undo-backfill';
import { closePool, getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import type { AppError } from '@/lib/errors';
import { appendEvents } from '@/lib/event-store/append-events';
import { readActivity, releaseStore, takeStore } from '@/lib/event-store/store-status';
import { makeApiKey, makeStore, makeTenant, scopeOf, unique } from '@/lib/testing/factories';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';
import { stopRunQueue } from '@/lib/runs/queue';
import { startRun } from '@/lib/runs/start-run';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let tenant: Tenant;
let other: Tenant;
let scope: ReturnType<typeof scopeOf>;

beforeAll(async () => {
  [tenant, other] = await Promise.all([makeTenant(), makeTenant()]);
  scope = scopeOf(tenant.workspace, tenant.editor, 'editor');
});
afterAll(async () => {
  await stopRunQueue();
  await closePool();
});

const T = '2026-01-31T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T) + seconds * 1000);

/** A new store of the tenant holding events e0…e{n-1}, e{i} at T + i seconds. */
async function storeWith(n: number) {
  const store = await makeStore(tenant.workspace.id, tenant.definition.id);
  const events = Array.from({ length: n }, (_, i) => ({ eventId: `e${i}`, eventTime: at(i), payload: { id: `e${i}`, at: at(i).toISOString(), n: i } }));
  if (n) await appendEvents(getPool(), store.id, events);
  return store;
}

const csv = (rows: [string, string][]) => Buffer.from(`id,at\n${rows.map((r) => r.join(',')).join('\n')}\n`);
const upload = (storeId: string, rows: [string, string][], name = 'delete.csv') => previewBackfill(scope, storeId, { name, bytes: csv(rows) });

async function storedIds(storeId: string): Promise<string[]> {
  const { rows } = await getPool().query<{ event_id: string }>(`SELECT event_id FROM events WHERE store_id = $1 ORDER BY event_id`, [storeId]);
  return rows.map((r) => r.event_id);
}
async function statsCount(storeId: string): Promise<number> {
  const { rows } = await getPool().query<{ event_count: string }>(`SELECT event_count FROM event_store_stats WHERE store_id = $1`, [storeId]);
  return Number(rows[0]?.event_count ?? 0);
}
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

/**
 * Holds a lock on the backfill's row in an open transaction: a confirm or undo of it takes the store,
 * notes its lease on the row (KEY SHARE lets that update pass), and then waits at its own FOR UPDATE of
 * the row, holding the store, until `release()`.
 */
async function holdBackfillRow(backfillId: string) {
  const client: pg.PoolClient = await getPool().connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM backfills WHERE id = $1 FOR KEY SHARE', [backfillId]);
  return {
    release: async () => {
      await client.query('COMMIT');
      client.release();
    },
  };
}
/** Waits until a backfill holds the store (its lease noted on its row); that backfill's id. */
async function untilHeld(storeId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await getPool().query(`SELECT b.id FROM backfills b JOIN event_stores s ON s.lease_owner = b.lease_owner WHERE s.id = $1`, [storeId]);
    if (rows[0]) return rows[0].id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the store was never taken');
}

describe('previewBackfill', () => {
  it('matches rows by id and event time (as instants), records the preview with its unmatched rows, and touches no event', async () => {
    const store = await storeWith(4);
    const preview = await upload(store.id, [
      ['e0', T],
      ['e1', '2026-01-31T13:00:01+01:00'], // the same instant as e1's time, in another zone
      ['e2', at(99).toISOString()],
      ['nope', T],
    ]);
    expect(preview).toMatchObject({
      store: { id: store.id, name: store.name },
      status: 'previewed',
      fileName: 'delete.csv',
      requested: 4,
      matched: 2,
      notFound: 2,
      deleted: null,
      frame: null,
      undo: null,
      createdBy: tenant.editor.email,
      confirmedAt: null,
    });
    expect(preview.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(preview.unmatchedSample).toEqual([
      { line: 4, eventId: 'e2', eventTime: at(99).toISOString(), reason: 'the stored event has another event time', storedEventTime: at(2).toISOString() },
      { line: 5, eventId: 'nope', eventTime: T, reason: 'no event with this id' },
    ]);
    expect(await storedIds(store.id)).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(await getBackfillPreview(scope, preview.id)).toEqual(preview);
    expect((await unmatchedRowsCsv(scope, preview.id)).csv).toBe(
      `line,event_id,event_time,reason,stored_event_time\n4,e2,${at(99).toISOString()},the stored event has another event time,${at(2).toISOString()}\n5,nope,${T},no event with this id,\n`,
    );
  });

  it('refuses each bad file with its message, records nothing and leaves the events as they were', async () => {
    const store = await storeWith(3);
    const many = Buffer.from(`id,at\n${Array.from({ length: 1001 }, (_, i) => `e${i},${T}`).join('\n')}\n`);
    const files: [string, Buffer, RegExp][] = [
      ['1,001 rows', many, /^The file has 1,001 rows; a backfill takes at most 1,000/],
      ['wrong header', Buffer.from(`event,time\ne0,${T}\n`), /^The header \(line 1\) must name the columns “id” and “at”.*it has “event”, “time”/],
      ['bad date', Buffer.from(`id,at\ne0,${T}\ne1,31/01/2026\n`), /^1 row needs fixing \(line 3\); nothing was deleted\. Line 3: “at” must be an ISO 8601 time/],
      ['empty', Buffer.alloc(0), /^The file is empty/],
      ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0]), /^This is not a CSV file/],
      ['duplicate', Buffer.from(`id,at\ne0,${T}\ne0,${T}\n`), /Event id “e0” is on line 2 and again on line 3/],
    ];
    for (const [what, bytes, message] of files) {
      const error = await refusal(previewBackfill(scope, store.id, { name: `${what}.csv`, bytes }));
      expect(error, what).toMatchObject({ code: 'BACKFILL_FILE_INVALID', status: 400, userMessage: expect.stringMatching(message) });
    }
    expect((await refusal(previewBackfill(scope, store.id, { name: 'big.csv', bytes: Buffer.alloc(1_048_577, 'a') }))).status).toBe(413);
    expect(await storedIds(store.id)).toEqual(['e0', 'e1', 'e2']);
    expect(await statsCount(store.id)).toBe(3);
    expect(await listBackfills(scope, store.id)).toEqual([]);
  });

  it('gives the store its template', async () => {
    const template = await getBackfillTemplate(scope, tenant.store.id);
    expect(template.fileName).toBe(`${tenant.store.name}-backfill-template.csv`);
    expect(template.csv.split('\n').slice(1)).toEqual(['id,at', 'evt-0001,2026-01-31T12:00:00.000Z', '']);
  });
});

describe('confirmBackfill', () => {
  it('deletes exactly the matched events, keeps them in the trail, audits, updates the counts, and frees the store', async () => {
    const store = await storeWith(5);
    const { meter } = await makeCopyMeter(tenant, { targetStoreId: store.id });
    const preview = await upload(store.id, [
      ['e1', at(1).toISOString()],
      ['e3', at(3).toISOString()],
      ['e4', T], // another time: left alone
      ['zz', T],
    ]);
    const done = await confirmBackfill(scope, preview.id);
    expect(done).toMatchObject({
      status: 'completed',
      requested: 4,
      matched: 2,
      notFound: 2,
      deleted: 2,
      frame: { from: at(1).toISOString(), to: new Date(at(3).getTime() + 1).toISOString() },
      confirmedBy: tenant.editor.email,
      writerMeters: [{ id: meter.id, name: meter.name }],
    });
    expect(done.confirmedAt).not.toBeNull();
    expect(await storedIds(store.id)).toEqual(['e0', 'e2', 'e4']);
    expect(await statsCount(store.id)).toBe(3);
    expect((await readActivity(getPool(), store.id))?.activity).toBe('idle');

    const trail = (await deletedEventsCsv(scope, preview.id)).csv.trim().split('\n');
    expect(trail[0]).toBe('id,at,payload,ingested_at');
    expect(trail.slice(1).map((line) => line.split(',')[0])).toEqual(['e1', 'e3']);
    const payload = /^e1,[^,]+,"(.*)",[^,]+$/.exec(trail[1]!)![1]!.replace(/""/g, '"');
    expect(JSON.parse(payload)).toEqual({ id: 'e1', at: at(1).toISOString(), n: 1 });

    const audit = await getPrisma().auditEvent.findFirst({ where: { workspaceId: tenant.workspace.id, action: 'backfill.completed', targetId: store.id } });
    expect(audit?.details).toMatchObject({ backfillId: preview.id, fileName: 'delete.csv', requested: 4, matched: 2, deleted: 2 });
    expect(audit?.actorLabel).toBe(tenant.editor.email);
  });

  it('matches again at confirm: an event deleted or replaced with another time since the preview is not deleted, and deleted says so', async () => {
    const store = await storeWith(3);
    const preview = await upload(store.id, [
      ['e0', T],
      ['e1', at(1).toISOString()],
      ['e2', at(2).toISOString()],
    ]);
    await appendEvents(getPool(), store.id, [{ eventId: 'e1', eventTime: at(500), payload: { id: 'e1', at: at(500).toISOString() } }]);
    await getPool().query(`DELETE FROM events WHERE store_id = $1 AND event_id = 'e2'`, [store.id]);
    const done = await confirmBackfill(scope, preview.id);
    expect(done).toMatchObject({ matched: 3, deleted: 1, frame: { from: T, to: new Date(Date.parse(T) + 1).toISOString() } });
    expect(await storedIds(store.id)).toEqual(['e1']);
  });

  it('is refused once confirmed (BACKFILL_NOT_PENDING), deleting nothing more', async () => {
    const store = await storeWith(2);
    const preview = await upload(store.id, [['e0', T]]);
    await confirmBackfill(scope, preview.id);
    await appendEvents(getPool(), store.id, [{ eventId: 'e0', eventTime: at(0), payload: { id: 'e0', at: T } }]);
    const error = await refusal(confirmBackfill(scope, preview.id));
    expect(error).toMatchObject({ code: 'BACKFILL_NOT_PENDING', status: 409 });
    expect(error.userMessage).toMatch(/^This backfill was already confirmed on \d{4}-\d\d-\d\d \d\d:\d\d UTC by .+, so it cannot be confirmed again\./);
    expect(await storedIds(store.id)).toEqual(['e0', 'e1']);
  });

  it('two confirms at once, of one backfill or of two backfills of one store: one deletes, the others are refused STORE_BUSY naming the holder', async () => {
    const store = await storeWith(4);
    const first = await upload(store.id, [['e0', T]]);
    const second = await upload(store.id, [['e1', at(1).toISOString()]]);
    const lock = await holdBackfillRow(first.id);
    const winner = confirmBackfill(scope, first.id);
    const refusals: AppError[] = [];
    try {
      // The holding backfill is found by its lease, for the store page's link to it.
      expect(await untilHeld(store.id)).toBe(first.id);
      for (const id of [first.id, second.id]) refusals.push(await refusal(confirmBackfill(scope, id)));
    } finally {
      await lock.release();
    }
    for (const error of refusals) {
      expect(error).toMatchObject({ code: 'STORE_BUSY', status: 409 });
      expect(error.userMessage).toContain(`is busy: a backfill is deleting events from it`);
      expect(error.userMessage).toContain(`(“backfill ${first.id.slice(0, 8)} by ${tenant.editor.email}”)`);
    }
    expect((await winner).deleted).toBe(1);
    expect((await getBackfill(scope, second.id)).status).toBe('previewed');
    expect(await storedIds(store.id)).toEqual(['e1', 'e2', 'e3']);

    // Racing for real: exactly one of two confirms of one backfill deletes.
    const third = await upload(store.id, [['e2', at(2).toISOString()]]);
    const outcomes = await Promise.allSettled([confirmBackfill(scope, third.id), confirmBackfill(scope, third.id)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(['STORE_BUSY', 'BACKFILL_NOT_PENDING']).toContain(refused.reason.code);
    expect(await storedIds(store.id)).toEqual(['e1', 'e3']);
  });

  it('refuses ingest (appendEvents and the REST route) and a run into the store while it deletes, naming the backfill; ingest works after', async () => {
    const store = await storeWith(2);
    const { meter } = await makeCopyMeter(tenant, { targetStoreId: store.id });
    const preview = await upload(store.id, [['e0', T]]);
    const lock = await holdBackfillRow(preview.id);
    const confirming = confirmBackfill(scope, preview.id);
    const newEvent = { eventId: 'new', eventTime: at(9), payload: { id: 'new', at: at(9).toISOString() } };
    const refusals: AppError[] = [];
    let restStatus = 0;
    let restBody: { error: { code: string; message: string } } | undefined;
    try {
      await untilHeld(store.id);
      refusals.push(await refusal(appendEvents(getPool(), store.id, [newEvent])));
      const key = (await makeApiKey(tenant.workspace, tenant.owner, ['events:write'])).key;
      const response = await ingest(
        new Request(`http://localhost/api/v1/event-stores/${store.id}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify([{ id: 'new', at: at(9).toISOString() }]),
        }),
        { params: Promise.resolve({ id: store.id }) },
      );
      restStatus = response.status;
      restBody = await response.json();
      refusals.push(await refusal(startRun(scope, { meterId: meter.id, scope: { kind: 'all' }, dryRun: false, idempotencyKey: unique('key') })));
    } finally {
      await lock.release();
    }
    const holder = `(“backfill ${preview.id.slice(0, 8)} by ${tenant.editor.email}”)`;
    expect(refusals[0]).toMatchObject({ code: 'STORE_BUSY', status: 409 });
    expect(refusals[0]!.userMessage).toContain(holder);
    expect(restStatus).toBe(409);
    expect(restBody!.error.code).toBe('STORE_BUSY');
    expect(restBody!.error.message).toContain(holder);
    expect(refusals[1]).toMatchObject({ code: 'STORE_BUSY', status: 409 });
    expect(refusals[1]!.userMessage).toContain(holder);
    await confirming;
    await appendEvents(getPool(), store.id, [newEvent]);
    expect(await storedIds(store.id)).toEqual(['e1', 'new']);
  });

  it('killed midway changes nothing: the backfill stays previewed and can be confirmed again', async () => {
    const store = await storeWith(3);
    const preview = await upload(store.id, [['e0', T], ['e1', at(1).toISOString()]]);
    // The transaction's last statement (its audit row) fails: the trail and the delete before it must roll back.
    const fn = `fail_backfill_${preview.id.replace(/-/g, '')}`;
    await getPool().query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.details->>'backfillId' = '${preview.id}' THEN RAISE EXCEPTION 'killed'; END IF; RETURN NEW; END $$`);
    await getPool().query(`CREATE TRIGGER ${fn} BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      await expect(confirmBackfill(scope, preview.id)).rejects.toThrow(/killed/);
    } finally {
      await getPool().query(`DROP TRIGGER ${fn} ON audit_events`);
      await getPool().query(`DROP FUNCTION ${fn}()`);
    }
    expect(await storedIds(store.id)).toEqual(['e0', 'e1', 'e2']);
    expect(await statsCount(store.id)).toBe(3);
    expect((await getBackfill(scope, preview.id)).status).toBe('previewed');
    expect((await getPool().query(`SELECT 1 FROM backfill_events WHERE backfill_id = $1`, [preview.id])).rowCount).toBe(0);
    expect((await readActivity(getPool(), store.id))?.activity).toBe('idle');
    expect((await confirmBackfill(scope, preview.id)).deleted).toBe(2);
    expect(await storedIds(store.id)).toEqual(['e2']);
  });
});

describe('undoBackfill', () => {
  it('re-inserts the deleted events, skips ids stored again meanwhile, audits, and is not repeated', async () => {
    const store = await storeWith(4);
    const preview = await upload(store.id, [['e0', T], ['e1', at(1).toISOString()], ['e2', at(2).toISOString()]]);
    await confirmBackfill(scope, preview.id);
    await appendEvents(getPool(), store.id, [{ eventId: 'e1', eventTime: at(77), payload: { id: 'e1', at: at(77).toISOString(), fixed: true } }]);

    const undone = await undoBackfill(scope, preview.id);
    expect(undone).toMatchObject({ status: 'undone', deleted: 3, undo: { restored: 2, skipped: 1, skippedIds: ['e1'] }, undoneBy: tenant.editor.email });
    expect(await storedIds(store.id)).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(await statsCount(store.id)).toBe(4);
    const { rows } = await getPool().query(`SELECT event_id, event_time, payload FROM events WHERE store_id = $1 AND event_id IN ('e0', 'e1') ORDER BY event_id`, [store.id]);
    expect(rows).toEqual([
      { event_id: 'e0', event_time: at(0), payload: { id: 'e0', at: T, n: 0 } },
      { event_id: 'e1', event_time: at(77), payload: { id: 'e1', at: at(77).toISOString(), fixed: true } },
    ]);
    expect((await readActivity(getPool(), store.id))?.activity).toBe('idle');
    const audit = await getPrisma().auditEvent.findFirst({ where: { action: 'backfill.undone', targetId: store.id } });
    expect(audit?.details).toMatchObject({ backfillId: preview.id, restored: 2, skipped: 1 });

    const again = await refusal(undoBackfill(scope, preview.id));
    expect(again).toMatchObject({ code: 'BACKFILL_NOT_UNDOABLE', status: 409, userMessage: expect.stringMatching(/^This backfill was already undone on .* by .*; an undo is not repeated\.$/) });
    expect(await refusal(confirmBackfill(scope, preview.id))).toMatchObject({ code: 'BACKFILL_NOT_PENDING' });
  });

  it('waits for the store like any writer: refused STORE_BUSY while a run holds it, done once it is free', async () => {
    const store = await storeWith(2);
    const preview = await upload(store.id, [['e0', T]]);
    await confirmBackfill(scope, preview.id);
    const run = (await takeStore(getPool(), store.id, 'writing', 'run 7'))!;
    try {
      const error = await refusal(undoBackfill(scope, preview.id));
      expect(error).toMatchObject({ code: 'STORE_BUSY', userMessage: expect.stringContaining('a run is writing to it') });
      expect((await getBackfill(scope, preview.id)).status).toBe('completed');
    } finally {
      await releaseStore(getPool(), run);
    }
    expect((await undoBackfill(scope, preview.id)).undo).toEqual({ restored: 1, skipped: 0, skippedIds: [] });
    expect(await storedIds(store.id)).toEqual(['e0', 'e1']);
  });

  it('is refused for a backfill never confirmed', async () => {
    const store = await storeWith(1);
    const preview = await upload(store.id, [['e0', T]]);
    expect(await refusal(undoBackfill(scope, preview.id))).toMatchObject({
      code: 'BACKFILL_NOT_UNDOABLE',
      userMessage: 'This backfill was never confirmed, so no event was deleted and there is nothing to undo.',
    });
    expect(await storedIds(store.id)).toEqual(['e0']);
  });
});

describe('workspaces', () => {
  it("answers 404 for another workspace's store and backfill ids, and for malformed ids", async () => {
    const store = await storeWith(1);
    const preview = await upload(store.id, [['e0', T]]);
    const outsider = scopeOf(other.workspace, other.owner);
    const calls = [
      () => previewBackfill(outsider, store.id, { name: 'x.csv', bytes: csv([['e0', T]]) }),
      () => listBackfills(outsider, store.id),
      () => getBackfillTemplate(outsider, store.id),
      () => getBackfill(outsider, preview.id),
      () => getBackfillPreview(outsider, preview.id),
      () => confirmBackfill(outsider, preview.id),
      () => undoBackfill(outsider, preview.id),
      () => deletedEventsCsv(outsider, preview.id),
      () => unmatchedRowsCsv(outsider, preview.id),
      () => getBackfill(scope, 'not-a-uuid'),
    ];
    for (const call of calls) expect(await refusal(call())).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect((await getBackfill(scope, preview.id)).status).toBe('previewed');
    expect(await storedIds(store.id)).toEqual(['e0']);
    expect(await listBackfills(outsider, other.store.id)).toEqual([]);
  });

  it('lists the store’s backfills newest first', async () => {
    const store = await storeWith(2);
    const a = await upload(store.id, [['e0', T]], 'a.csv');
    const b = await upload(store.id, [['e1', at(1).toISOString()]], 'b.csv');
    expect((await listBackfills(scope, store.id)).map((v) => [v.id, v.fileName])).toEqual([
      [b.id, 'b.csv'],
      [a.id, 'a.csv'],
    ]);
  });
});
