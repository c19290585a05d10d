import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/object-changes/route';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { MAX_CHANGES_PER_REQUEST } from '@/lib/custom-events/changes/receive-changes';
import { makeApiKey, makeTenant } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let tenant: Tenant;
let key: string;
const params = { params: Promise.resolve({}) };

beforeAll(async () => {
  tenant = await makeTenant();
  key = (await makeApiKey(tenant.workspace, tenant.owner, ['object-changes:write'])).key;
});
afterAll(() => disconnectPrisma());

const post = (body: unknown, auth = key) =>
  POST(new Request('http://localhost/api/v1/object-changes', { method: 'POST', headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }), params);
const stored = async (recordId: string) =>
  (await getPool().query(`SELECT id::text, change_type, current, previous, changed_fields, changed_at, change_id FROM object_changes WHERE workspace_id = $1 AND record_id = $2 ORDER BY id`, [tenant.workspace.id, recordId])).rows;

const AT = '2026-11-30T09:00:00Z';

describe('POST /api/v1/object-changes', () => {
  it('stores the valid changes in batch order and answers each change on its own', async () => {
    const response = await post({
      changes: [
        { object: 'Invoice', recordId: 'INV-7', changeType: 'INSERT', current: { Status: 'Draft', Amount: 100 }, time: AT },
        { object: 'Invoice', recordId: 'INV-7', changeType: 'UPDATE', current: { Status: 'Posted', Amount: 100 }, previous: { Status: 'Draft', Amount: 100 }, time: AT },
        { object: 'Invoice', recordId: 'INV-8', changeType: 'UPDATE', current: { Stauts: 'Posted' }, previous: {}, time: AT },
        { object: 'Invoice', recordId: 'INV-7', changeType: 'DELETE', previous: { Status: 'Posted' }, time: AT },
      ],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 1, processed: { changes: 3, businessEvents: 0 } });
    expect(body.rejections).toEqual([{ position: 2, recordId: 'INV-8', field: 'current.Stauts', reason: 'Invoice has no field “Stauts”. Did you mean Status?' }]);
    expect(body.changes.map((c: { position: number }) => c.position)).toEqual([0, 1, 3]);
    const rows = await stored('INV-7');
    expect(rows.map((r) => r.change_type)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(rows.map((r) => r.id)).toEqual(body.changes.map((c: { id: string }) => c.id));
    expect(rows[1]).toMatchObject({ current: { Status: 'Posted', Amount: 100 }, previous: { Status: 'Draft', Amount: 100 }, changed_fields: ['Status'] });
    expect(rows[2]).toMatchObject({ current: {}, previous: { Status: 'Posted' }, changed_fields: [] });
    const audit = await getPool().query(`SELECT details FROM audit_events WHERE workspace_id = $1 AND action = 'object-changes.received' ORDER BY created_at DESC LIMIT 1`, [tenant.workspace.id]);
    expect(audit.rows[0].details).toEqual({ source: 'api', accepted: 3, duplicates: 0, rejected: 1 });
  });

  it('stores a change sent again with its changeId once, and says which ones were duplicates', async () => {
    const batch = [
      { changeId: 'c-1', object: 'Payment', recordId: 'P-1', changeType: 'INSERT', current: { Amount: 50 }, time: AT },
      { changeId: 'c-2', object: 'Payment', recordId: 'P-1', changeType: 'UPDATE', current: { Amount: 60 }, previous: { Amount: 50 }, time: AT },
    ];
    const first = await (await post(batch)).json();
    const again = await (await post([...batch, { changeId: 'c-3', object: 'Payment', recordId: 'P-1', changeType: 'DELETE', previous: { Amount: 60 }, time: AT }])).json();
    expect(again).toMatchObject({ accepted: 1, duplicates: 2, rejected: 0 });
    expect(again.changes.slice(0, 2)).toEqual(first.changes.map((c: object) => ({ ...c, duplicate: true })));
    expect((await stored('P-1')).map((r) => r.change_id)).toEqual(['c-1', 'c-2', 'c-3']);
    const twice = await (await post([batch[0], { ...batch[1], changeId: 'c-1' }])).json();
    expect(twice.rejections).toEqual([{ position: 1, recordId: 'P-1', field: 'changeId', reason: 'changeId “c-1” appears twice in this batch; give each change its own.' }]);
  });

  it('refuses a request with nothing to store, stores nothing, and answers 422 naming the first problem', async () => {
    const response = await post([{ object: 'Invoice', recordId: 'INV-9', changeType: 'INSERT', current: { Amount: 'lots' }, time: AT }]);
    expect(response.status).toBe(422);
    expect((await response.json()).error.message).toBe('None of the 1 changes could be taken; nothing was stored. The first problem: change 0: Invoice.Amount is a number; it is "lots".');
    expect(await stored('INV-9')).toEqual([]);
  });

  it('refuses malformed, empty and oversized batches, and keys without the scope', async () => {
    expect((await post('{"changes": ')).status).toBe(400);
    expect((await post({ changes: [] })).status).toBe(400);
    expect((await post({ change: [] })).status).toBe(400);
    const many = Array.from({ length: MAX_CHANGES_PER_REQUEST + 1 }, (_, i) => ({ object: 'Invoice', recordId: `M-${i}`, changeType: 'INSERT', current: { Amount: 1 }, time: AT }));
    const tooMany = await post(many);
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).error.message).toMatch(/at most 1,000 changes; this one has 1,001/);
    expect((await post('x'.repeat(6 * 1024 * 1024))).status).toBe(413);
    const other = (await makeApiKey(tenant.workspace, tenant.owner, ['events:write'])).key;
    expect((await post([], other)).status).toBe(403);
  });

  it('with JetStream configured, stores the changes waiting in groups and their messages in the stream outbox, in one transaction, without reaching NATS', async () => {
    const prefix = `route${Date.now().toString(36)}`;
    const saved = { url: process.env.NATS_URL, prefix: process.env.NATS_PREFIX, partitions: process.env.NATS_PARTITIONS };
    // Nothing listens on this port: the route only writes the outbox, which the relay publishes later.
    Object.assign(process.env, { NATS_URL: 'nats://127.0.0.1:1', NATS_PREFIX: prefix, NATS_PARTITIONS: '2' });
    try {
      const changes = ['INV-30', 'INV-31', 'INV-32', 'INV-30'].map((recordId, i) => ({ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted', Amount: i }, previous: { Status: 'Draft', Amount: i }, time: AT }));
      const response = await post(changes);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ accepted: 4, processed: null, published: true });
      const ids = body.changes.map((c: { id: string }) => c.id);
      // Waiting in groups, one per message (named by its first id), not one by one.
      const groups = await getPool().query<{ first_id: string; ids: string[] }>(`SELECT first_id::text, ids::text[] FROM pending_change_batches WHERE workspace_id = $1 ORDER BY first_id`, [tenant.workspace.id]);
      expect(groups.rows.flatMap((g) => g.ids).sort()).toEqual([...ids].sort());
      expect(groups.rows.every((g) => g.first_id === g.ids[0])).toBe(true);
      expect((await getPool().query(`SELECT 1 FROM pending_object_changes WHERE workspace_id = $1`, [tenant.workspace.id])).rowCount).toBe(0);
      const outbox = await getPool().query<{ subject: string; body: { workspaceId: string; ids: string[]; batches: string[] } }>(`SELECT subject, body::jsonb AS body FROM stream_outbox WHERE starts_with(subject, $1) ORDER BY id`, [`${prefix}.`]);
      expect(outbox.rows.every((r) => /\.changes\.[01]$/.test(r.subject) && r.body.workspaceId === tenant.workspace.id)).toBe(true);
      expect(outbox.rows.map((r) => r.body.batches).sort()).toEqual(groups.rows.map((g) => [g.first_id]).sort());
      // Every stored change in exactly one message; a record's changes in one message, in id order.
      expect(outbox.rows.flatMap((r) => r.body.ids).sort()).toEqual([...ids].sort());
      const withInv30 = outbox.rows.find((r) => r.body.ids.includes(ids[0]))!;
      expect(withInv30.body.ids.indexOf(ids[0])).toBeLessThan(withInv30.body.ids.indexOf(ids[3]));
      await getPool().query(`DELETE FROM stream_outbox WHERE starts_with(subject, $1)`, [`${prefix}.`]);
    } finally {
      for (const [name, value] of [['NATS_URL', saved.url], ['NATS_PREFIX', saved.prefix], ['NATS_PARTITIONS', saved.partitions]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
