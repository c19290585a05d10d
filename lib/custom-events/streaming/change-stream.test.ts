import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { announceChanges, enqueueChangeMessages, processChangeMessage, processChangeMessages, startChangeWorkers, sweepUnprocessedChanges, type ChangeMessage, type ChangeRef, type ChangeWorkers } from '@/lib/custom-events/streaming/change-stream';
import { processChanges, unbatchWaitingChanges } from '@/lib/custom-events/changes/process-changes';
import { deleteStreams, natsAnswers, openStreaming, partitionOf, TEST_NATS_URL, setProcessStreaming, type Streaming } from '@/lib/custom-events/streaming/nats';
import { relayOutbox } from '@/lib/custom-events/streaming/outbox';
import { inTransaction } from '@/lib/db/transaction';
import { replayBusinessEvents } from '@/lib/custom-events/streaming/replay';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { createPool } from '@/lib/db/create-pool';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

const NATS_URL = TEST_NATS_URL;
const reachable = await natsAnswers(NATS_URL);
if (!reachable) console.warn(`JetStream tests skipped: no NATS server at ${NATS_URL} (start nats-server -js, or set NATS_URL)`);

const AT = '2026-11-30T09:00:00Z';
const update = (recordId: string, amount: number) => ({ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: amount }, previous: { Status: 'Draft', Amount: amount }, time: AT });

async function world() {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  await createTrigger(getPrisma(), scope, { eventType: 'InvoiceUpdated', baseObject: 'Invoice', condition: "changeType == 'UPDATE'" });
  return { scope, workspaceId: tenant.workspace.id };
}

/** Changes of the workspace that wait, one by one (pending_object_changes) or in groups (pending_change_batches). */
const waiting = async (workspaceId: string) =>
  Number(
    (
      await getPool().query(
        `SELECT (SELECT count(*) FROM pending_object_changes WHERE workspace_id = $1) + (SELECT coalesce(sum(cardinality(ids)), 0) FROM pending_change_batches WHERE workspace_id = $1) AS n`,
        [workspaceId],
      )
    ).rows[0].n,
  );
const groupsOf = async (workspaceId: string) => Number((await getPool().query(`SELECT count(*) AS n FROM pending_change_batches WHERE workspace_id = $1`, [workspaceId])).rows[0].n);

/** Stores changes as the JetStream route does (queued in groups, announced in the outbox); the messages written, taken out of the outbox. */
async function storeAnnounced(scope: Awaited<ReturnType<typeof world>>['scope'], changes: unknown[], config = { prefix: `g${randomUUID().slice(0, 8)}`, partitions: 2 }): Promise<{ ids: string[]; messages: ChangeMessage[] }> {
  const received = await receiveChanges(getPool(), scope, changes, { announce: (client, stored) => announceChanges(client, config, scope.workspaceId, stored) });
  const { rows } = await getPool().query<{ body: string }>(`DELETE FROM stream_outbox WHERE starts_with(subject, $1) RETURNING body`, [`${config.prefix}.`]);
  return { ids: received.changes.map((c) => c.id), messages: rows.map((r) => JSON.parse(r.body) as ChangeMessage) };
}

/** Queues the messages announcing `changes` in the outbox (as the route does in its transaction) and relays them. */
async function announce(streaming: Streaming, workspaceId: string, changes: readonly ChangeRef[]): Promise<void> {
  await inTransaction(getPool(), (client) => enqueueChangeMessages(client, streaming.config, workspaceId, changes));
  await relayOutbox(streaming, getPool());
}

/** One business event per change of each record (round r: Amount r), processed in the order the rounds were sent. */
async function expectEventsInRecordOrder(workspaceId: string, records: readonly string[], rounds: number): Promise<void> {
  const { rows } = await getPool().query<{ record_id: string; amount: number }>(
    `SELECT b.record_id, (c.current->>'Amount')::int AS amount FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.workspace_id = $1 ORDER BY b.processed_at, b.change_id`,
    [workspaceId],
  );
  expect(rows).toHaveLength(records.length * rounds);
  for (const record of records) expect(rows.filter((r) => r.record_id === record).map((r) => r.amount)).toEqual(Array.from({ length: rounds }, (_, i) => i));
}

/** Each record's amounts (round numbers), in the order their business events were stored. */
async function amountsByRecord(workspaceId: string): Promise<Record<string, number[]>> {
  const { rows } = await getPool().query<{ record_id: string; amount: number }>(
    `SELECT b.record_id, (c.current->>'Amount')::int AS amount FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.workspace_id = $1 ORDER BY b.processed_at, b.change_id`,
    [workspaceId],
  );
  const byRecord: Record<string, number[]> = {};
  for (const r of rows) (byRecord[r.record_id] ??= []).push(r.amount);
  return byRecord;
}

afterAll(() => disconnectPrisma());

describe('processChangeMessage', () => {
  it('stores nothing twice when a message is delivered twice', async () => {
    const { scope, workspaceId } = await world();
    const received = await receiveChanges(getPool(), scope, [update('I-1', 1), update('I-1', 2)]);
    const message = { workspaceId, ids: received.changes.map((c) => c.id) };
    expect(await processChangeMessage(getPool(), message)).toEqual({ changes: 2, businessEvents: 2 });
    expect(await processChangeMessage(getPool(), message)).toEqual({ changes: 0, businessEvents: 0 });
  });

  it('processes several messages in one transaction, with a report per message', async () => {
    const { scope, workspaceId } = await world();
    const first = await receiveChanges(getPool(), scope, [update('I-1', 1), update('I-2', 1)]);
    const second = await receiveChanges(getPool(), scope, [update('I-3', 1)]);
    const reports = await processChangeMessages(getPool(), [
      { workspaceId, ids: first.changes.map((c) => c.id) },
      { workspaceId, ids: second.changes.map((c) => c.id) },
    ]);
    expect(reports).toEqual([{ changes: 2, businessEvents: 2 }, { changes: 1, businessEvents: 1 }]);
    expect(await waiting(workspaceId)).toBe(0);
  });
});

describe('changes announced in groups (announceChanges)', () => {
  it('wait as one group per message, which a worker claims whole, once', async () => {
    const { scope, workspaceId } = await world();
    const { ids, messages } = await storeAnnounced(scope, ['I-1', 'I-2', 'I-3', 'I-4', 'I-1'].map((r, i) => update(r, i)));
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(await groupsOf(workspaceId)).toBe(messages.length);
    expect(messages.flatMap((m) => m.ids).sort()).toEqual([...ids].sort());
    for (const m of messages) expect(m.batches).toEqual([m.ids[0]]);
    const reports = await processChangeMessages(getPool(), messages);
    expect(reports.reduce((n, r) => n + r.changes, 0)).toBe(5);
    expect(await waiting(workspaceId)).toBe(0);
    // Delivered again: the groups are gone, and nothing waits one by one.
    expect((await processChangeMessages(getPool(), messages)).every((r) => r.changes === 0)).toBe(true);
    expect(await amountsByRecord(workspaceId)).toEqual({ 'I-1': [0, 4], 'I-2': [1], 'I-3': [2], 'I-4': [3] });
  });

  it('are evaluated once when the sweep turned a group into single changes before its message came', async () => {
    const { scope, workspaceId } = await world();
    const { messages } = await storeAnnounced(scope, [update('I-1', 0), update('I-1', 1)]);
    expect(await unbatchWaitingChanges(getPool(), { workspaceId, olderThanMs: 0 })).toBe(2);
    expect(await groupsOf(workspaceId)).toBe(0);
    expect(await waiting(workspaceId)).toBe(2);
    expect(await processChangeMessages(getPool(), messages)).toEqual([{ changes: 2, businessEvents: 2 }]);
    expect(await processChangeMessages(getPool(), messages)).toEqual([{ changes: 0, businessEvents: 0 }]);
    await expectEventsInRecordOrder(workspaceId, ['I-1'], 2);
  });

  it('left behind when JetStream is turned off, are taken by processChanges in id order with the single ones', async () => {
    const { scope, workspaceId } = await world();
    await receiveChanges(getPool(), scope, [update('I-1', 0)]); // waits one by one
    await storeAnnounced(scope, [update('I-1', 1), update('I-2', 0)]); // waits in a group
    await receiveChanges(getPool(), scope, [update('I-1', 2), update('I-2', 1)]);
    expect(await processChanges(getPool(), workspaceId)).toEqual({ changes: 5, businessEvents: 5 });
    expect(await waiting(workspaceId)).toBe(0);
    expect(await amountsByRecord(workspaceId)).toEqual({ 'I-1': [0, 1, 2], 'I-2': [0, 1] });
  });

  it('left behind when JetStream is turned off, are evaluated by the Object Changes API before its own batch', async () => {
    const { scope, workspaceId } = await world();
    await storeAnnounced(scope, [update('I-7', 0)]);
    const received = await receiveChanges(getPool(), scope, [update('I-7', 1)], { evaluate: true });
    expect(received.evaluated).toEqual({ changes: 2, businessEvents: 2 });
    expect(await waiting(workspaceId)).toBe(0);
    await expectEventsInRecordOrder(workspaceId, ['I-7'], 2);
  });

  it('are evaluated whole when a message names a group but lists only some of its ids (a message made by hand)', async () => {
    const { scope, workspaceId } = await world();
    const { messages } = await storeAnnounced(scope, [update('I-1', 0), update('I-1', 1)]);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(await processChangeMessages(getPool(), [{ workspaceId, ids: [message!.ids[0]!], batches: message!.batches }])).toEqual([{ changes: 2, businessEvents: 2 }]);
    expect(await amountsByRecord(workspaceId)).toEqual({ 'I-1': [0, 1] });
  });

  it('are deleted with their workspace', async () => {
    const { scope, workspaceId } = await world();
    await storeAnnounced(scope, [update('I-1', 0)]);
    expect(await groupsOf(workspaceId)).toBe(1);
    await getPrisma().workspace.delete({ where: { id: workspaceId } });
    expect(await groupsOf(workspaceId)).toBe(0);
  });
});

describe.skipIf(!reachable)('the JetStream path (NATS at 127.0.0.1:4222)', () => {
  let streaming: Streaming;
  let second: Streaming;
  const workers: ChangeWorkers[] = [];

  beforeAll(async () => {
    const config = { url: NATS_URL, prefix: `t${randomUUID().slice(0, 8)}`, partitions: 2 };
    streaming = await openStreaming(config);
    second = await openStreaming(config);
    setProcessStreaming(streaming);
  });

  afterAll(async () => {
    for (const w of workers) await w.stop();
    setProcessStreaming(null);
    await second?.close();
    if (streaming) await deleteStreams(streaming);
  });

  it('keeps each record’s order with two workers on the partitions, and the sweep announces what was stored but not announced', async () => {
    const { scope, workspaceId } = await world();
    const processedBy = [0, 0];
    workers.push(await startChangeWorkers(streaming, getPool(), { onProcessed: () => (processedBy[0]! += 1) }));
    workers.push(await startChangeWorkers(second, getPool(), { onProcessed: () => (processedBy[1]! += 1) }));
    const records = ['I-1', 'I-2', 'I-3', 'I-4'];
    expect(new Set(records.map((r) => partitionOf('Invoice', r, 2))).size).toBe(2);
    for (let round = 0; round < 15; round++) {
      const received = await receiveChanges(getPool(), scope, records.map((r) => update(r, round)));
      // The last round is stored but never announced: the sweep finds it.
      if (round !== 14) await announce(streaming, workspaceId, received.changes);
    }
    await expect.poll(() => waiting(workspaceId), { timeout: 5_000 }).toBe(4);
    // The sweep queues their messages in the outbox; the relay publishes them.
    await sweepUnprocessedChanges(streaming, getPool(), 0);
    await relayOutbox(streaming, getPool());
    await expect.poll(() => waiting(workspaceId), { timeout: 10_000 }).toBe(0);

    await expectEventsInRecordOrder(workspaceId, records, 15);
    expect(processedBy[0]! + processedBy[1]!).toBeGreaterThanOrEqual(30);
    expect(processedBy.every((n) => n > 0)).toBe(true);
    for (const w of workers.splice(0)) await w.stop();
  });

  it('keeps each record’s order for changes stored the route’s way (queued in groups), with two workers on the partitions', async () => {
    const { scope, workspaceId } = await world();
    workers.push(await startChangeWorkers(streaming, getPool()));
    workers.push(await startChangeWorkers(second, getPool()));
    const records = ['I-1', 'I-2', 'I-3', 'I-4'];
    for (let round = 0; round < 12; round++) {
      await receiveChanges(getPool(), scope, records.map((r) => update(r, round)), { announce: (client, stored) => announceChanges(client, streaming.config, workspaceId, stored) });
      if (round % 3 === 2) await relayOutbox(streaming, getPool()); // merged and single messages both
    }
    await relayOutbox(streaming, getPool());
    await expect.poll(() => waiting(workspaceId), { timeout: 10_000 }).toBe(0);
    await expectEventsInRecordOrder(workspaceId, records, 12);
    for (const w of workers.splice(0)) await w.stop();
  });

  it('publishes the messages waiting for one partition as one, and the workers keep each record’s order', async () => {
    const { scope, workspaceId } = await world();
    const records = ['I-1', 'I-2', 'I-3', 'I-4'];
    await relayOutbox(streaming, getPool()); // what earlier tests left (their business events)
    // Ten requests stored and queued before the relay runs (the relay behind): 20 outbox rows, 2 partitions.
    for (let round = 0; round < 10; round++) {
      const received = await receiveChanges(getPool(), scope, records.map((r) => update(r, round)));
      await inTransaction(getPool(), (client) => enqueueChangeMessages(client, streaming.config, workspaceId, received.changes));
    }
    const before = (await streaming.jsm.streams.info(streaming.changesStream)).state.messages;
    expect(await relayOutbox(streaming, getPool())).toBe(20);
    expect((await streaming.jsm.streams.info(streaming.changesStream)).state.messages - before).toBe(2);

    workers.push(await startChangeWorkers(streaming, getPool()));
    await expect.poll(() => waiting(workspaceId), { timeout: 10_000 }).toBe(0);
    await expectEventsInRecordOrder(workspaceId, records, 10);
    for (const w of workers.splice(0)) await w.stop();
  });

  it('redelivers a message whose processing failed (nak), and processes it then', async () => {
    const { scope, workspaceId } = await world();
    const deliveries: number[] = [];
    // Statements time out after 300 ms, so a row lock held by the test makes processing fail.
    const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 2, options: '-c statement_timeout=300' });
    const lock = await getPool().connect();
    try {
      const received = await receiveChanges(getPool(), scope, [update('I-9', 1)]);
      await lock.query('BEGIN');
      await lock.query(`SELECT 1 FROM pending_object_changes WHERE workspace_id = $1 FOR UPDATE`, [workspaceId]);
      const stream = await startChangeWorkers(streaming, pool, { onProcessed: (_report, deliveryCount) => deliveries.push(deliveryCount) });
      workers.push(stream);
      await announce(streaming, workspaceId, received.changes);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await waiting(workspaceId)).toBe(1);
      await lock.query('ROLLBACK');
      await expect.poll(() => waiting(workspaceId), { timeout: 10_000 }).toBe(0);
      expect(deliveries.at(-1)).toBeGreaterThanOrEqual(2);
      await stream.stop();
    } finally {
      lock.release();
      await pool.end();
    }
  });

  it('publishes stored business events through the outbox, and replays them from a point in time', async () => {
    const { scope, workspaceId } = await world();
    await receiveChanges(getPool(), scope, [update('I-1', 1), update('I-2', 1)], { evaluate: true });
    expect(await relayOutbox(streaming, getPool())).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await receiveChanges(getPool(), scope, [update('I-3', 1)], { evaluate: true });
    await relayOutbox(streaming, getPool());

    const all = await replayBusinessEvents(streaming, { since: new Date(Date.now() - 60_000), workspaceId });
    const later = await replayBusinessEvents(streaming, { since, workspaceId });
    const stored = (await getPool().query<{ id: string; record_id: string }>(`SELECT id, record_id FROM business_events WHERE workspace_id = $1`, [workspaceId])).rows;
    expect(all.map((e) => e.id).sort()).toEqual(stored.map((e) => e.id).sort());
    expect(later.map((e) => e.id)).toEqual(stored.filter((e) => e.record_id === 'I-3').map((e) => e.id));
    expect(later[0]).toMatchObject({ eventType: 'InvoiceUpdated', workspaceId });
    expect((await getPool().query(`SELECT count(*)::int AS n FROM stream_outbox WHERE body::jsonb->>'workspaceId' = $1`, [workspaceId])).rows[0].n).toBe(0);
  });

  it('relays only the outbox rows of its own streams, and leaves another prefix’s to their relay', async () => {
    const { rows } = await getPool().query<{ id: string }>(`INSERT INTO stream_outbox (subject, msg_id, body) VALUES ('elsewhere-x.changes.0', $1, '{"workspaceId":"x","ids":[]}') RETURNING id::text`, [randomUUID()]);
    try {
      await relayOutbox(streaming, getPool());
      expect((await getPool().query(`SELECT count(*)::int AS n FROM stream_outbox WHERE id = $1`, [rows[0]!.id])).rows[0].n).toBe(1);
    } finally {
      await getPool().query(`DELETE FROM stream_outbox WHERE id = $1`, [rows[0]!.id]);
    }
  });
});
