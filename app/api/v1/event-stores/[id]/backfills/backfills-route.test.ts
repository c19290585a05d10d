import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as confirm } from '@/app/api/v1/backfills/[id]/confirm/route';
import { GET as deletedEvents } from '@/app/api/v1/backfills/[id]/deleted-events.csv/route';
import { GET as getOne } from '@/app/api/v1/backfills/[id]/route';
import { POST as undo } from '@/app/api/v1/backfills/[id]/undo/route';
import { GET as list, POST as upload } from '@/app/api/v1/event-stores/[id]/backfills/route';
import { GET as template } from '@/app/api/v1/event-stores/[id]/backfills/template/route';
import { BACKFILL_MAX_BYTES, type BackfillPreview, type BackfillView } from '@/lib/backfills/types';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { makeApiKey, makeStore, makeTenant } from '@/lib/testing/factories';

let tenant: Awaited<ReturnType<typeof makeTenant>>;
let key: string;
let writeOnlyKey: string;

beforeAll(async () => {
  tenant = await makeTenant();
  key = (await makeApiKey(tenant.workspace, tenant.owner, ['events:delete'])).key;
  writeOnlyKey = (await makeApiKey(tenant.workspace, tenant.owner, ['events:write', 'stores:read'])).key;
});
afterAll(() => closePool());

const T = '2026-01-31T12:00:00.000Z';
const context = (id: string) => ({ params: Promise.resolve({ id }) });
const url = (path: string) => `http://localhost/api/v1${path}`;
const auth = (k = key) => ({ authorization: `Bearer ${k}` });

async function storeWith(ids: string[]) {
  const store = await makeStore(tenant.workspace.id, tenant.definition.id);
  await appendEvents(getPool(), store.id, ids.map((id) => ({ eventId: id, eventTime: new Date(T), payload: { id, at: T } })));
  return store;
}
const count = async (storeId: string) => Number((await getPool().query('SELECT count(*) FROM events WHERE store_id = $1', [storeId])).rows[0].count);

function postCsv(storeId: string, body: BodyInit, headers: Record<string, string> = {}, k = key) {
  return upload(
    new Request(url(`/event-stores/${storeId}/backfills`), {
      method: 'POST',
      headers: { ...auth(k), 'content-type': 'text/csv', ...headers },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit),
    context(storeId),
  );
}
const post = (handler: typeof confirm, id: string, path: string) => handler(new Request(url(`/backfills/${id}${path}`), { method: 'POST', headers: auth() }), context(id));

describe('backfill REST routes', () => {
  it('uploads a raw CSV (named by X-File-Name) → 201 preview; confirm → 200 deletes; undo → 200 restores; list and get', async () => {
    const store = await storeWith(['a', 'b', 'c']);
    const uploaded = await postCsv(store.id, `id,at\na,${T}\nb,${T}\nzz,${T}\n`, { 'x-file-name': encodeURIComponent('löschen 1.csv') });
    expect(uploaded.status).toBe(201);
    const preview = (await uploaded.json()) as BackfillPreview;
    expect(preview).toMatchObject({ status: 'previewed', fileName: 'löschen 1.csv', requested: 3, matched: 2, notFound: 1, unmatchedSample: [{ line: 4, eventId: 'zz' }] });

    const confirmed = await post(confirm, preview.id, '/confirm');
    expect(confirmed.status).toBe(200);
    expect((await confirmed.json()) as BackfillView).toMatchObject({ status: 'completed', deleted: 2 });
    expect(await count(store.id)).toBe(1);
    const again = await post(confirm, preview.id, '/confirm');
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('BACKFILL_NOT_PENDING');

    const trail = await deletedEvents(new Request(url(`/backfills/${preview.id}/deleted-events.csv`), { headers: auth() }), context(preview.id));
    expect(trail.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(trail.headers.get('content-disposition')).toMatch(/^attachment; filename=".*-deleted-events\.csv"$/);
    expect((await trail.text()).split('\n').filter(Boolean)).toHaveLength(3);

    const undone = await post(undo, preview.id, '/undo');
    expect(undone.status).toBe(200);
    expect((await undone.json()) as BackfillView).toMatchObject({ status: 'undone', undo: { restored: 2, skipped: 0, skippedIds: [] } });
    expect(await count(store.id)).toBe(3);
    expect((await post(undo, preview.id, '/undo')).status).toBe(409);

    const listed = await (await list(new Request(url(`/event-stores/${store.id}/backfills`), { headers: auth() }), context(store.id))).json();
    expect(listed.backfills.map((b: BackfillView) => b.id)).toEqual([preview.id]);
    const one = await (await getOne(new Request(url(`/backfills/${preview.id}`), { headers: auth() }), context(preview.id))).json();
    expect(one).toMatchObject({ id: preview.id, status: 'undone', unmatchedSample: [{ eventId: 'zz', reason: 'no event with this id' }] });
  });

  it('uploads a multipart file part, and serves the template as a CSV attachment', async () => {
    const store = await storeWith(['a']);
    const form = new FormData();
    form.append('file', new File([`id,at\na,${T}\n`], 'picked.csv', { type: 'text/csv' }));
    const response = await upload(new Request(url(`/event-stores/${store.id}/backfills`), { method: 'POST', headers: auth(), body: form }), context(store.id));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ fileName: 'picked.csv', matched: 1 });

    const csv = await template(new Request(url(`/event-stores/${store.id}/backfills/template`), { headers: auth() }), context(store.id));
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${store.name}-backfill-template.csv"`);
    expect((await csv.text()).split('\n')[1]).toBe('id,at');
  });

  it('answers a bad file 400 with details.rowErrors, and an oversized one 413 while it streams; the events stay', async () => {
    const store = await storeWith(['a', 'b']);
    const bad = await postCsv(store.id, `id,at\na,${T}\nb,not a time\n`);
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe('BACKFILL_FILE_INVALID');
    expect(error.details).toEqual({ rowErrors: [{ line: 3, message: expect.stringMatching(/^“at” must be an ISO 8601 time/) }], rowErrorCount: 1 });

    // No Content-Length: the body is cut off at the cap, not buffered whole.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
        if (sent > 8 * BACKFILL_MAX_BYTES) controller.close();
      },
    });
    const tooBig = await postCsv(store.id, endless);
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.message).toBe('The file is larger than 1 MiB, the limit for a backfill: split it into smaller files.');
    expect(sent).toBeLessThan(2 * BACKFILL_MAX_BYTES);
    expect((await postCsv(store.id, 'x', { 'content-length': String(BACKFILL_MAX_BYTES + 1) })).status).toBe(413);
    expect(await count(store.id)).toBe(2);
  });

  it('refuses a key without the events:delete scope (403), deleting nothing', async () => {
    const store = await storeWith(['a']);
    const response = await postCsv(store.id, `id,at\na,${T}\n`, {}, writeOnlyKey);
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toBe('This API key does not have the "events:delete" scope. Create a key that has it.');
    expect(await count(store.id)).toBe(1);
  });

  it('two confirms of two backfills of one store at once: at most one deletes at a time, and a refusal is a 409 naming the holder', async () => {
    const store = await storeWith(['a', 'b']);
    const [first, second] = await Promise.all(
      ['a', 'b'].map(async (id) => ((await (await postCsv(store.id, `id,at\n${id},${T}\n`)).json()) as BackfillPreview).id),
    );
    const responses = await Promise.all([post(confirm, first!, '/confirm'), post(confirm, second!, '/confirm')]);
    for (const response of responses.filter((r) => r.status !== 200)) {
      expect(response.status).toBe(409);
      expect((await response.json()).error).toMatchObject({ code: 'STORE_BUSY', message: expect.stringMatching(/is busy: a backfill is deleting events from it .*\(“backfill [0-9a-f]{8} by /) });
    }
    expect(responses.some((r) => r.status === 200)).toBe(true);
    expect(await count(store.id)).toBe(2 - responses.filter((r) => r.status === 200).length);
  });
});
