import { beforeAll, describe, expect, it } from 'vitest';
import { EVERY_TYPE, makeRouteClient } from '@/app/api/v1/event-stores/[id]/events/route-test-client';
import { MAX_REJECTED_RECORD_CHARS } from '@/lib/event-store/ingest/ingest-events';

let client: Awaited<ReturnType<typeof makeRouteClient>>;
beforeAll(async () => {
  client = await makeRouteClient(EVERY_TYPE);
});

const post = async (body: string, contentType: string, query = '?include=records') => (await client.post((await client.newStore()).id, body, contentType, {}, query)).json();

describe('?include=records: each rejection carries the record as sent, to fix and send again', () => {
  it('CSV: the row as written (quotes and a line break inside a field kept), a row with too many columns too', async () => {
    const body = 'id,at,units\r\ne1,2026-01-01T00:00:00Z,1\r\ne2,not-a-time,2\r\n"e3","2026-01-01T00:00:00Z","x\ny"\r\ne4,2026-01-01T00:00:00Z,4,extra\r\ne5,2026-01-02T00:00:00Z,5\r\n';
    const report = await post(body, 'text/csv');
    expect(report).toMatchObject({ accepted: 2, rejected: 3 });
    expect(report.rejections).toEqual([
      { position: 3, field: 'at', reason: expect.any(String), record: 'e2,not-a-time,2' },
      { position: 5, field: 'units', reason: expect.any(String), record: '"e3","2026-01-01T00:00:00Z","x\ny"' },
      { position: 6, field: null, reason: expect.stringMatching(/columns/), record: 'e4,2026-01-01T00:00:00Z,4,extra' },
    ]);
  });

  it('CSV rows parsed one by one after a malformed row keep their own text', async () => {
    const report = await post('id,at,units\ne1,2026-01-01T00:00:00Z,1\nbad,"2026"x,1\ne3,nope,3\n', 'text/csv');
    expect(report.rejections.map((r: { position: number; record: string }) => [r.position, r.record])).toEqual([
      [3, 'bad,"2026"x,1'],
      [4, 'e3,nope,3'],
    ]);
  });

  it('NDJSON lines and JSON array elements, unparsable ones included', async () => {
    const ndjson = await post('{"id":"a","at":"2026-01-01T00:00:00Z","units":1}\n{"id":"b","at":"later","units":1}\n{oops\n', 'application/x-ndjson');
    expect(ndjson.rejections.map((r: { record: string }) => r.record)).toEqual(['{"id":"b","at":"later","units":1}', '{oops']);
    const json = await post('[{"id":"a","at":"2026-01-01T00:00:00Z","units":1}, {"id":"b","units":"x","at":"2026-01-01T00:00:00Z"}]', 'application/json');
    expect(json.rejections).toEqual([{ position: 1, field: 'units', reason: expect.any(String), record: '{"id":"b","units":"x","at":"2026-01-01T00:00:00Z"}' }]);
  });

  it('a long record is cut at the cap and says so', async () => {
    const long = JSON.stringify({ id: 'x', at: 'never', units: 1, note: 'n'.repeat(MAX_REJECTED_RECORD_CHARS) });
    const report = await post(long, 'application/x-ndjson');
    expect(report.rejections[0]).toMatchObject({ record: long.slice(0, MAX_REJECTED_RECORD_CHARS), recordTruncated: true });
  });

  it('without the parameter the report stays as it was (no record text)', async () => {
    const report = await post('{"id":"b","at":"later","units":1}\n', 'application/x-ndjson', '');
    expect(report.rejections).toEqual([{ position: 1, field: 'at', reason: expect.any(String) }]);
  });
});
