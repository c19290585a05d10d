import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVERY_TYPE, makeRouteClient } from '@/app/api/v1/event-stores/[id]/events/route-test-client';

let client: Awaited<ReturnType<typeof makeRouteClient>>;
let storeId: string;
beforeAll(async () => {
  client = await makeRouteClient(EVERY_TYPE);
  storeId = (await client.newStore()).id;
  await client.post(storeId, JSON.stringify({ id: 'a', at: '2026-01-01T00:00:00Z', units: 1 }), 'application/x-ndjson');
});

// Times JavaScript reads but PostgreSQL refuses (or that are no time at all) must be a 400 naming the parameter.
const outOfRange: [string, string][] = [
  ['from', '0000-01-01'],
  ['from', '-271821-04-20T00:00:00Z'],
  ['to', '99999-01-01'],
  ['to', '+275760-09-13T00:00:00Z'],
  ['from', 'garbage'],
  ['to', '1899-12-31T23:59:59Z'],
  ['where.at', '0000-01-01T00:00:00Z'],
];

describe('query parameters PostgreSQL would refuse', () => {
  it.each(outOfRange)('%s=%s answers 400 naming the parameter, for a page and for each export format', async (name, value) => {
    for (const format of ['', '&format=csv', '&format=ndjson']) {
      const response = await client.get(storeId, `?${name}=${encodeURIComponent(value)}${format}`);
      expect(response.status).toBe(400);
      expect(Object.keys((await response.json()).error.fieldErrors)).toEqual([name]);
    }
  });

  it.each(['-271821-04-20T00:00:00.000Z|x', '+275760-09-13T00:00:00.000Z|x', '0000-01-01T00:00:00.000Z|x'])('a page cursor at %s answers 400', async (cursor) => {
    const response = await client.get(storeId, `?after=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fieldErrors)).toEqual(['after']);
  });

  it.each([
    ['where.note', 'a\u0000b'],
    ['after', '2026-01-01T00:00:00.000Z|a\u0000b'],
  ])('%s with a NUL character (which PostgreSQL cannot take as text) answers 400', async (name, value) => {
    const response = await client.get(storeId, `?${name}=${encodeURIComponent(value)}`);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fieldErrors)).toEqual([name]);
  });

  it('the widest range allowed still reads every event', async () => {
    const response = await client.get(storeId, `?from=1900-01-01&to=9999-12-31T23:59:59.999Z`);
    expect(response.status).toBe(200);
    expect((await response.json()).data.map((e: { eventId: string }) => e.eventId)).toEqual(['a']);
  });

  it('any value of any parameter answers 200 or 400, never 500 (property)', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom('\u0000', 'a', '1', '-', ':', '|', 'T', 'Z'), maxLength: 8 }),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.integer({ min: -1e16, max: 1e16 }).map(String),
      fc.constantFrom('0000-01-01', '+275760-09-13T00:00:00Z', '99999-01-01', '2026-02-30', '1e3', '-1', '\u0000'),
    );
    const names = fc.constantFrom('from', 'to', 'after', 'limit', 'order', 'format', 'where.at', 'where.units', 'where.cost', 'where.billable', 'where.note', 'where.meta', 'where.nope');
    const params = fc.array(fc.tuple(names, fc.oneof(text, fc.tuple(fc.date({ noInvalidDate: true }), text).map(([d, id]) => `${d.toISOString()}|${id}`))), { minLength: 1, maxLength: 2 });
    await fc.assert(
      fc.asyncProperty(params, async (pairs) => {
        const response = await client.get(storeId, `?${new URLSearchParams(pairs)}`);
        expect([200, 400]).toContain(response.status);
        await response.arrayBuffer();
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });
});
