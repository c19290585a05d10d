/**
 * Property: whatever records a client sends to POST /api/v1/event-stores/{id}/events, each one is either
 * stored and reads back equal (GET, the scan path) or rejected with its position; the request never
 * answers 500, and records that are certainly valid are never rejected. A failure prints fast-check's seed
 * and path; replay with `FC_SEED=<seed> FC_PATH=<path>`, and `FC_RUNS` sets the number of runs (default 100).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVERY_TYPE, makeRouteClient } from '@/app/api/v1/event-stores/[id]/events/route-test-client';

let client: Awaited<ReturnType<typeof makeRouteClient>>;
beforeAll(async () => {
  client = await makeRouteClient(EVERY_TYPE);
});

const RUNS = Number(process.env.FC_RUNS ?? 100);
const parameters = (): fc.Parameters<unknown> => ({
  numRuns: RUNS,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
});

/** Stands for JSON nested `levels` deep (too deep for JSON.stringify on this side); put in by `serialize`. */
const DEEP = (levels: number) => `\u0001deep:${levels}\u0001`;
const deepValue = fc.constantFrom(63, 64, 65, 5_000).map(DEEP);

const weirdText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', '\ud83d', '\ude00', 'a', 'é', '"', '\\', '\n', '\r', '\u2028', ',', '=', "'"), maxLength: 6 }),
  fc.constantFrom('', ' ', '-1', '=1+1', 'x'.repeat(513)),
);
const inRange = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
const offset = fc.constantFrom('Z', '+02:00', '-01:00', '+0530', '');
// A day in from each end, so that no offset moves the time out of range.
const inRangeAnyZone = fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true });
const goodTime = fc.oneof(inRange.map((d) => d.toISOString()), fc.tuple(inRangeAnyZone, offset).map(([d, z]) => d.toISOString().slice(0, 19) + z));
const anyTime = fc.oneof(
  goodTime,
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), // ±275,760 years: "+010000-…", "-000001-…"
  fc.constantFrom('0000-01-01T00:00:00Z', '9999-12-31T23:30:00-01:00', '1899-12-31T23:59:59.999Z', '2026-02-30', '2026-01-01 06:30', '20260131'),
  fc.integer({ min: -1e13, max: 1e14 }),
  weirdText,
);
const storableJson = fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
const anyJson = fc.oneof(storableJson, fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), weirdText, deepValue, fc.array(deepValue, { maxLength: 2 }));
const idText = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 2 }); // repeats: last write wins

/** A record certainly valid for the definition (the oracle's lower bound: these must be accepted). */
const validRecord = fc.record(
  {
    id: idText,
    at: goodTime,
    units: fc.integer(),
    cost: fc.double({ noNaN: true, noDefaultInfinity: true }),
    billable: fc.boolean(),
    note: fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => !s.includes('\u0000')),
    meta: storableJson,
  },
  { requiredKeys: ['id', 'at', 'units'] },
);
/** Anything at all in every field (or missing, or null), plus now and then a field the definition lacks. */
const anyRecord = fc.record(
  {
    id: fc.oneof(idText, weirdText, fc.integer(), fc.constant(null)),
    at: fc.oneof(anyTime, fc.constant(null)),
    units: fc.oneof(fc.integer(), fc.double(), weirdText, fc.constant(null)),
    cost: fc.oneof(fc.double(), weirdText, fc.boolean(), fc.constant(null)),
    billable: fc.oneof(fc.boolean(), weirdText, fc.integer()),
    note: fc.oneof(weirdText, fc.integer(), anyJson),
    meta: anyJson,
    colour: weirdText,
  },
  { requiredKeys: [] },
);
/** A valid record with one or two fields taken from anyRecord (or removed): one bad value among good ones reaches the database. */
const mutatedRecord = fc
  .tuple(validRecord, anyRecord, fc.subarray(['id', 'at', 'units', 'cost', 'billable', 'note', 'meta', 'colour'] as const, { minLength: 1, maxLength: 2 }))
  .map(([valid, other, names]) => {
    const record: Record<string, unknown> = { ...valid };
    for (const name of names) {
      if (name in other) record[name] = other[name];
      else delete record[name];
    }
    return record;
  });
const sent = fc.oneof(
  validRecord.map((record) => ({ record, certainlyValid: true })),
  mutatedRecord.map((record) => ({ record: record as unknown, certainlyValid: false })),
  anyRecord.map((record) => ({ record: record as unknown, certainlyValid: false })),
  fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(DEEP(5_000))).map((record) => ({ record, certainlyValid: false })),
);

function serialize(record: unknown): string {
  return JSON.stringify(record).replace(/"\\u0001deep:(\d+)\\u0001"/g, (_, n) => '['.repeat(Number(n)) + '"x"' + ']'.repeat(Number(n)));
}

/** An event time as the instant it names: no zone is UTC, a date alone is midnight (the README's rules). */
function instant(time: unknown): string {
  if (typeof time === 'number') return new Date(time).toISOString();
  const text = String(time).replace(' ', 'T');
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}${text.length === 10 ? 'T00:00:00' : ''}Z`;
  return new Date(zoned).toISOString();
}

/** What the store must give back for an accepted record: nulls dropped, the time as the same instant in UTC, JSON-equal values. */
function expectedPayload(record: Record<string, unknown>) {
  const payload: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (value !== null && value !== undefined) payload[name] = name === 'at' ? instant(value) : JSON.parse(serialize(value));
  }
  return payload;
}

describe('POST events, property', () => {
  it('every record is stored and reads back equal, or is rejected with its position; never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sent, { minLength: 1, maxLength: 12 }), fc.constantFrom('ndjson', 'json'), async (batch, format) => {
        const store = await client.newStore();
        const texts = batch.map(({ record }) => serialize(record));
        const body = format === 'ndjson' ? texts.join('\n') : `[${texts.join(',')}]`;
        const response = await client.post(store.id, body, format === 'ndjson' ? 'application/x-ndjson' : 'application/json');
        expect([200, 422]).toContain(response.status);
        const report = await response.json();

        const rejected = new Set<number>();
        for (const rejection of report.rejections) {
          const index = format === 'ndjson' ? rejection.position - 1 : rejection.position;
          expect(index >= 0 && index < batch.length && !rejected.has(index)).toBe(true);
          expect(typeof rejection.reason === 'string' && rejection.reason.length > 0).toBe(true);
          expect(batch[index]!.certainlyValid).toBe(false);
          rejected.add(index);
        }
        expect(report.accepted + report.rejected).toBe(batch.length);
        expect(report.rejected).toBe(rejected.size);

        const stored = new Map<string, Record<string, unknown>>();
        batch.forEach(({ record }, index) => {
          if (!rejected.has(index)) stored.set(String((record as { id: unknown }).id), expectedPayload(record as Record<string, unknown>));
        });
        const page = await (await client.get(store.id, '?limit=1000&order=asc')).json();
        const readBack = new Map<string, unknown>(page.data.map((e: { eventId: string; payload: unknown }) => [e.eventId, e.payload]));
        expect(readBack).toEqual(stored);
      }),
      parameters(),
    );
  }, 300_000);
});
