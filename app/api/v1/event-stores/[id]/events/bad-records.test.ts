import { beforeAll, describe, expect, it } from 'vitest';
import { EVERY_TYPE, makeRouteClient } from '@/app/api/v1/event-stores/[id]/events/route-test-client';

let client: Awaited<ReturnType<typeof makeRouteClient>>;
beforeAll(async () => {
  client = await makeRouteClient(EVERY_TYPE);
});

/** `levels` arrays around `inner`, built without recursion. */
function nested(levels: number, inner: unknown): unknown {
  let value = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}
const deepText = (levels: number, inner: string) => '['.repeat(levels) + JSON.stringify(inner) + ']'.repeat(levels);

const good = (i: number) => ({ id: `e${i}`, at: '2026-01-01T00:00:00Z', units: i });
const BAD_AT = 2_500;
const TOTAL = 6_000;

// Each of these used to fail its whole batch of 5,000 in the database (or in JSON.stringify) and answer 500.
// `meta` is given as JSON text so a structure JSON.stringify cannot handle can still be sent.
const cases: [string, string, string | RegExp][] = [
  ['an event time in year 0000', JSON.stringify({ ...good(BAD_AT), at: '0000-01-01T00:00:00Z' }), 'at'],
  ['an event time that an offset moves into year 10000', JSON.stringify({ ...good(BAD_AT), at: '9999-12-31T23:30:00-01:00' }), 'at'],
  ['a NUL 70 levels deep in a json field', JSON.stringify({ ...good(BAD_AT), meta: nested(70, 'a\u0000b') }), 'meta'],
  ['a lone surrogate 70 levels deep in a json field', JSON.stringify({ ...good(BAD_AT), meta: nested(70, 'a\ud800b') }), 'meta'],
  ['JSON nested 5,000 levels deep', JSON.stringify(good(BAD_AT)).replace(/}$/, `,"meta":${deepText(5_000, 'x')}}`), 'meta'],
];

describe('one bad record in a batch of 5,000', () => {
  it.each(cases)('%s is rejected as that record (NDJSON and JSON array); every other event is stored', async (_name, badLine, field) => {
    for (const format of ['ndjson', 'json'] as const) {
      const store = await client.newStore();
      const lines = Array.from({ length: TOTAL }, (_, i) => (i === BAD_AT ? badLine : JSON.stringify(good(i))));
      const body = format === 'ndjson' ? lines.join('\n') : `[${lines.join(',')}]`;
      const response = await client.post(store.id, body, format === 'ndjson' ? 'application/x-ndjson' : 'application/json');
      expect(response.status).toBe(200);
      const report = await response.json();
      expect(report).toMatchObject({ accepted: TOTAL - 1, rejected: 1 });
      expect(report.rejections).toEqual([{ position: format === 'ndjson' ? BAD_AT + 1 : BAD_AT, field, reason: expect.any(String) }]);
      expect(await client.count(store.id)).toBe(TOTAL - 1);
    }
  });

  it('sending the same body again gives the same answer', async () => {
    const store = await client.newStore();
    const body = cases.map(([, line]) => line).join('\n');
    const first = await (await client.post(store.id, body, 'application/x-ndjson')).json();
    const second = await (await client.post(store.id, body, 'application/x-ndjson')).json();
    expect(first.rejections.map((r: { position: number }) => r.position)).toEqual([1, 2, 3, 4, 5]);
    expect(second.rejections).toEqual(first.rejections);
  });
});

describe('malformed CSV rows', () => {
  it('a stray quote is refused as its own row; the rows after it are still read (they used to vanish, neither stored nor rejected)', async () => {
    const store = await client.newStore();
    const rows = Array.from({ length: 200 }, (_, i) => `e${i},2026-01-01T00:00:00Z,${i}`);
    rows[10] = 'bad,"2026-01-01T00:00:00Z"x,1';
    rows[20] = 'open,2026"-01-01,1';
    const response = await client.post(store.id, `id,at,units\n${rows.join('\n')}\n`, 'text/csv');
    const report = await response.json();
    expect(report).toMatchObject({ accepted: 198, rejected: 2 });
    expect(report.rejections).toEqual([
      { position: 12, field: null, reason: expect.stringMatching(/^Not a valid CSV row: Invalid Closing Quote/) },
      { position: 22, field: null, reason: expect.stringMatching(/^Not a valid CSV row: Invalid Opening Quote/) },
    ]);
    expect(await client.count(store.id)).toBe(198);
  });
});
