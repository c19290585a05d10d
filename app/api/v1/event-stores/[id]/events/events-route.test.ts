import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRouteClient } from '@/app/api/v1/event-stores/[id]/events/route-test-client';
import { getPool } from '@/lib/db/pool';
import { ingestEvents } from '@/lib/event-store/ingest/ingest-events';
import { findStore } from '@/lib/event-store/get-store';
import { takeStore } from '@/lib/event-store/store-status';

let client: Awaited<ReturnType<typeof makeRouteClient>>;
let tenant: Awaited<ReturnType<typeof makeRouteClient>>['tenant'];

beforeAll(async () => {
  client = await makeRouteClient([
    { name: 'id', type: 'string', required: true, description: '' },
    { name: 'at', type: 'datetime', required: true, description: '' },
    { name: 'units', type: 'integer', required: true, description: '' },
    { name: 'note', type: 'string', required: false, description: '' },
  ]);
  tenant = client.tenant;
});

const newStore = () => client.newStore();
const post: typeof client.post = (...args) => client.post(...args);
const get: typeof client.get = (...args) => client.get(...args);
const count: typeof client.count = (...args) => client.count(...args);

describe('POST events', () => {
  it('NDJSON with malformed records: stores the good ones and reports each bad one by line, field and reason', async () => {
    const store = await newStore();
    const body = [
      '{"id":"a","at":"2026-01-01T00:00:00Z","units":1}',
      '{"id":"b","units":2}',
      '{"id":"c","at":"2026-01-01T00:00:00Z","units":"three"}',
      '{"id":"d", nope',
      '',
      '{"id":"e","at":1767225600000,"units":5}',
    ].join('\n');
    const response = await post(store.id, body, 'application/x-ndjson');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 2,
      inserted: 2,
      replaced: 0,
      rejected: 3,
      rejectionsTruncated: false,
      bytes: Buffer.byteLength(body),
      rejections: [
        { position: 2, field: 'at', reason: 'Required field “at” is missing.' },
        { position: 3, field: 'units', reason: '“units” must be a whole number, got the text “three”.' },
        { position: 4, field: null, reason: expect.stringMatching(/^Not valid JSON: /) },
      ],
    });
    expect(await count(store.id)).toBe(2);
  });

  it('a JSON array reports rejections by index; re-sending the same batch never duplicates', async () => {
    const store = await newStore();
    const body = JSON.stringify([{ id: 'a', at: '2026-01-01T00:00:00Z', units: 1 }, { id: 'b', at: 'soon', units: 1 }, 'x']);
    const first = await (await post(store.id, body, 'application/json')).json();
    expect(first.rejections.map((r: { position: number }) => r.position)).toEqual([1, 2]);
    expect(first).toMatchObject({ accepted: 1, inserted: 1, replaced: 0 });
    expect(await (await post(store.id, body, 'application/json')).json()).toMatchObject({ accepted: 1, inserted: 0, replaced: 1 });
    expect(await count(store.id)).toBe(1);
    // Repeats of one id in one request: each later one replaces the earlier, and the report says so.
    const repeats = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: 'same', at: '2026-01-01T00:00:00Z', units: i })).join('\n');
    expect(await (await post(store.id, repeats, 'application/x-ndjson')).json()).toMatchObject({ accepted: 10, inserted: 1, replaced: 9 });
  });

  it('CSV with a BOM, a short row and a formula-guarded cell', async () => {
    const store = await newStore();
    const body = '\ufeffid,at,units,note\na,2026-01-01T00:00:00Z,1,\'=SUM(A1)\nb,2026-01-01\nc,2026-01-02,x,\n';
    const report = await (await post(store.id, body, 'text/csv')).json();
    expect(report.accepted).toBe(1);
    expect(report.rejections).toEqual([
      { position: 3, field: null, reason: expect.stringMatching(/^Not a valid CSV row/) },
      { position: 4, field: 'units', reason: '“units” must be a whole number, got “x”.' },
    ]);
    const page = await (await get(store.id)).json();
    expect(page.data[0].payload).toEqual({ id: 'a', at: '2026-01-01T00:00:00.000Z', units: 1, note: '=SUM(A1)' });
  });

  it('answers 422 when nothing was valid, 415 for an unknown format, 404 for a wrong store, 409 while deleting', async () => {
    const store = await newStore();
    expect((await post(store.id, '{"id":1}', 'application/x-ndjson')).status).toBe(422);
    const unsupported = await post(store.id, 'x', 'text/plain');
    expect(unsupported.status).toBe(415);
    expect((await unsupported.json()).error.message).toMatch(/^Send events as application\/json/);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await post(id, '[]', 'application/json');
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.message).toBe('That event store was not found.');
    }
    await takeStore(getPool(), store.id, 'deleting', 'backfill');
    const busy = await post(store.id, '[]', 'application/json');
    expect(busy.status).toBe(409);
    expect((await busy.json()).error.message).toMatch(/a backfill is deleting events from it/);
  });

  it('refuses an oversize body with 413 and the limit in the message', async () => {
    const store = await newStore();
    const response = await post(store.id, '[]', 'application/json', { 'content-length': String(300 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toBe('The body is larger than the limit of 256 MiB.');
  });

  it('a body that grows past the limit while streaming keeps what was stored before and says so', async () => {
    const store = await findStore(tenant.workspace.id, (await newStore()).id);
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: `e${i}`, at: '2026-01-01T00:00:00Z', units: i }) + '\n');
    const error = await ingestEvents({ pool: getPool(), store, format: 'ndjson', body: Readable.from(lines), maxBytes: 600_000 }).catch((e) => e);
    expect(error.status).toBe(413);
    expect(error.userMessage).toMatch(/^The body is larger than the limit of 586 KiB\. The first [\d,]+ valid events were stored; send the rest in another request\.$/);
    expect(await count(store.id)).toBe(error.details.accepted);
  });

  it.each(['csv', 'json'] as const)('a %s body that grows past the limit while streaming answers 413 too (the parser is told, not left waiting)', async (format) => {
    const store = await findStore(tenant.workspace.id, (await newStore()).id);
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: `e${i}`, at: '2026-01-01T00:00:00Z', units: i }));
    const chunks = format === 'csv'
      ? ['id,at,units\n', ...rows.map((r) => `${r.id},${r.at},${r.units}\n`)]
      : ['[', ...rows.map((r, i) => (i ? ',' : '') + JSON.stringify(r)), ']'];
    const error = await ingestEvents({ pool: getPool(), store, format, body: Readable.from(chunks), maxBytes: 300_000 }).catch((e) => e);
    expect(error.status).toBe(413);
    expect(await count(store.id)).toBe(error.details.accepted);
  });

  it('a record PostgreSQL cannot store (a NUL character) is reported and never fails its neighbours', async () => {
    const store = await newStore();
    const lines = ['\uFEFF' + JSON.stringify({ id: 'first', at: '2026-01-01T00:00:00Z', units: 1 }), JSON.stringify({ id: 'bad', at: '2026-01-01T00:00:00Z', units: 1, note: 'a\u0000b' }), JSON.stringify({ id: 'last', at: '2026-01-01T00:00:00Z', units: 1 })];
    const report = await (await post(store.id, lines.join('\n'), 'application/x-ndjson')).json();
    expect(report).toMatchObject({ accepted: 2, rejected: 1, rejections: [{ position: 2, field: 'note', reason: expect.stringContaining('NUL') }] });
    expect(await count(store.id)).toBe(2);
  });
});

describe('GET events', () => {
  it('exports values a spreadsheet would run, or that start with a quote, so that they re-import unchanged; filters on a datetime field', async () => {
    const store = await newStore();
    const notes = ['=1+1', '\t=cmd', "'=already quoted", "'plain quote", '@sum', '-5', 'x'];
    const events = notes.map((note, i) => ({ id: `q${i}`, at: `2026-02-01T00:0${i}:00Z`, units: i, note }));
    await post(store.id, JSON.stringify(events), 'application/json');
    const csv = await (await get(store.id, '?format=csv')).text();
    for (const line of csv.split('\r\n').slice(1, -1)) expect(line.split(',')[3]).toMatch(/^(?:"?')|^x$/);
    const copy = await newStore();
    expect(await (await post(copy.id, csv, 'text/csv')).json()).toMatchObject({ accepted: notes.length, rejected: 0 });
    const reimported = await (await get(copy.id, '?limit=100&order=asc')).json();
    expect(reimported.data.map((e: { payload: { note: string } }) => e.payload.note)).toEqual(notes);

    const byTime = await (await get(store.id, '?where.at=2026-02-01T00:03:00Z')).json();
    expect(byTime.data.map((e: { eventId: string }) => e.eventId)).toEqual(['q3']);
  });

  it('pages newest first with a cursor, filters by time and field, and exports CSV and NDJSON that re-import identically', async () => {
    const store = await newStore();
    const events = Array.from({ length: 30 }, (_, i) => ({ id: `e${String(i).padStart(2, '0')}`, at: `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`, units: i % 3, note: i === 0 ? '-1 + 2, "quoted"' : undefined }));
    await post(store.id, JSON.stringify(events), 'application/json');

    const first = await (await get(store.id, '?limit=20')).json();
    expect(first.data.map((e: { eventId: string }) => e.eventId).slice(0, 2)).toEqual(['e29', 'e28']);
    const second = await (await get(store.id, `?limit=20&after=${encodeURIComponent(first.next)}`)).json();
    expect(second.data).toHaveLength(10);
    expect(second.next).toBeNull();

    const filtered = await (await get(store.id, '?from=2026-01-01T00:10:00Z&to=2026-01-01T00:20:00&where.units=1')).json();
    expect(filtered.data.map((e: { eventId: string }) => e.eventId).sort()).toEqual(['e10', 'e13', 'e16', 'e19']);
    const badQuery = await get(store.id, '?from=yesterday&where.colour=red');
    expect(badQuery.status).toBe(400);
    expect((await badQuery.json()).error.fieldErrors).toEqual({
      from: ['“yesterday” is not a time; use ISO 8601, e.g. 2026-01-31T00:00:00Z.'],
      'where.colour': ['“colour” is not a field of ' + (await findStore(tenant.workspace.id, store.id)).definition.name + '.'],
    });

    for (const format of ['csv', 'ndjson'] as const) {
      const exported = await get(store.id, `?format=${format}`);
      expect(exported.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename=".+\\.${format}"`));
      const text = await exported.text();
      if (format === 'csv') expect(text.split('\r\n')[1]).toBe(`e00,2026-01-01T00:00:00.000Z,0,"'-1 + 2, ""quoted"""`);
      const copy = await newStore();
      const report = await (await post(copy.id, text, format === 'csv' ? 'text/csv' : 'application/x-ndjson')).json();
      expect(report).toMatchObject({ accepted: 30, rejected: 0 });
      const original = await (await get(store.id, '?limit=100')).json();
      const reimported = await (await get(copy.id, '?limit=100')).json();
      expect(reimported.data.map((e: { payload: unknown }) => e.payload)).toEqual(original.data.map((e: { payload: unknown }) => e.payload));
    }
  });
});
