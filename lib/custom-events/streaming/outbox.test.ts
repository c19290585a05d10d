import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueStreamMessages, type StreamMessage } from '@/lib/custom-events/streaming/outbox';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { inTransaction } from '@/lib/db/transaction';

afterAll(() => disconnectPrisma());

describe('enqueueStreamMessages', () => {
  it('writes every message in order, its body exactly as given, past one statement’s worth of rows', async () => {
    const prefix = `ob${randomUUID().slice(0, 8)}`;
    const messages: StreamMessage[] = Array.from({ length: 250 }, (_, i) => ({
      subject: `${prefix}.changes.${i % 3}`,
      msgId: `m-${i}`,
      body: JSON.stringify({ workspaceId: 'w', n: i, text: `tab\there, "quotes", back\\slash, {braces}, 😀 ${'x'.repeat(i * 40)}` }),
    }));
    try {
      await inTransaction(getPool(), (client) => enqueueStreamMessages(client, messages));
      const { rows } = await getPool().query<StreamMessage>(`SELECT subject, msg_id AS "msgId", body FROM stream_outbox WHERE starts_with(subject, $1) ORDER BY id`, [`${prefix}.`]);
      expect(rows).toEqual(messages);
    } finally {
      await getPool().query(`DELETE FROM stream_outbox WHERE starts_with(subject, $1)`, [`${prefix}.`]);
    }
  });

  it('writes nothing when a later part fails: the caller’s transaction rolls back whole', async () => {
    const prefix = `ob${randomUUID().slice(0, 8)}`;
    const messages: StreamMessage[] = Array.from({ length: 150 }, (_, i) => ({ subject: `${prefix}.changes.0`, msgId: `m-${i}`, body: i === 149 ? 'NUL \u0000 is not text' : '{}' }));
    await expect(inTransaction(getPool(), (client) => enqueueStreamMessages(client, messages))).rejects.toThrow();
    expect((await getPool().query(`SELECT 1 FROM stream_outbox WHERE starts_with(subject, $1)`, [`${prefix}.`])).rowCount).toBe(0);
  });
});
