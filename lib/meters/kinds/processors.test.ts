import { describe, expect, it } from 'vitest';
import type { FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import { apiCallsStore, dailyUsageMapping, dailyUsageStore, meterContext } from '@/lib/meters/fixtures';
import type { NodeKind } from '@/lib/meters/graph';
import { NODE_KIND_SPECS, specOf, suggestMapping, USAGE_RECORD_FIELDS } from '@/lib/meters/kinds';
import { aggregateSpec } from '@/lib/meters/kinds/processor-aggregate';
import { storeFlowSchema } from '@/lib/meters/kinds/source-event-store';

const context = meterContext();
const apiCalls = storeFlowSchema(apiCallsStore);

/** Runs a kind's processor over records in two pushes and a flush, as runs do in batches. */
function run(kind: NodeKind, config: unknown, input: FlowSchema, records: FlowRecord[]) {
  const spec = specOf(kind);
  const parsed = spec.configSchema.parse(config);
  expect(spec.check(parsed, input, context, { id: 'n', kind, label: '', position: { x: 0, y: 0 }, config })).toEqual([]);
  const processor = spec.createProcessor!(parsed, input, context);
  const half = Math.ceil(records.length / 2);
  const outputs = [processor.push(records.slice(0, half)), processor.push(records.slice(half)), processor.flush()];
  return { records: outputs.flatMap((o) => o.records), rejected: outputs.flatMap((o) => o.rejected) };
}

const call = (occurredAt: string, more: FlowRecord = {}): FlowRecord => ({ eventId: `e-${occurredAt}`, occurredAt, customerId: 'C1', units: 1, ...more });

describe('the registry', () => {
  it('has one entry per kind, each with a default config its own schema accepts or reports', () => {
    for (const kind of Object.keys(NODE_KIND_SPECS) as NodeKind[]) {
      const spec = specOf(kind);
      expect(spec.kind).toBe(kind);
      expect(kind.startsWith(spec.category)).toBe(true);
      expect(spec.inputs).toBe(spec.category === 'source' ? 0 : 1);
      expect(spec.outputs).toBe(spec.category === 'target' ? 0 : 1);
      expect(typeof spec.summary(spec.defaultConfig(), context)).toBe('string');
    }
  });
});

describe('Filter', () => {
  it('keeps the records for which the condition is true, and nothing for null or missing values', () => {
    const records = [call('2026-01-01T00:00:00Z', { units: 5 }), call('2026-01-01T00:01:00Z', { units: 0 }), call('2026-01-01T00:02:00Z', { units: null })];
    const out = run('processor.filter', { condition: 'units > 1' }, apiCalls, records);
    expect(out.records).toEqual([records[0]]);
    expect(out.rejected).toEqual([]);
  });
});

describe('Map', () => {
  it('renames, drops and computes fields, reading the incoming names', () => {
    const config = { keep: 'all', drop: ['endpoint'], rename: [{ from: 'customerId', to: 'account' }], fields: [{ name: 'double', expression: 'units * 2' }, { name: 'units', expression: 'units + 100' }] };
    const out = run('processor.map', config, apiCalls, [call('2026-01-01T00:00:00Z', { endpoint: '/x', cost: 0.5 })]);
    expect(out.records).toEqual([{ eventId: 'e-2026-01-01T00:00:00Z', occurredAt: '2026-01-01T00:00:00Z', account: 'C1', cost: 0.5, double: 2, units: 101 }]);
  });

  it('keeps only renamed and computed fields when listed', () => {
    const config = { keep: 'listed', drop: [], rename: [{ from: 'customerId', to: 'account' }], fields: [{ name: 'total', expression: 'units * 3' }] };
    expect(run('processor.map', config, apiCalls, [call('2026-01-01T00:00:00Z')]).records).toEqual([{ account: 'C1', total: 3 }]);
  });

  it('never copies prototype keys of hostile records', () => {
    const hostile = JSON.parse('{"eventId":"e","occurredAt":"2026-01-01T00:00:00Z","customerId":"C","units":1,"__proto__":{"polluted":true},"constructor":"x"}') as FlowRecord;
    const [record] = run('processor.map', { keep: 'all', drop: [], rename: [], fields: [] }, apiCalls, [hostile]).records;
    expect(Object.keys(record!)).toEqual(['eventId', 'occurredAt', 'customerId', 'units']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Deduplicate', () => {
  const config = (amount: number, unit: string) => ({ keys: ['customerId', 'endpoint'], timeField: 'occurredAt', window: { amount, unit } });

  it('keeps the first record per key within the window, and again after it', () => {
    const records = [
      call('2026-01-01T00:00:00Z', { endpoint: '/a' }),
      call('2026-01-01T00:20:00Z', { endpoint: '/a' }),
      call('2026-01-01T00:20:00Z', { endpoint: '/b' }),
      call('2026-01-01T00:59:59Z', { endpoint: '/a' }),
      call('2026-01-01T01:00:00Z', { endpoint: '/a' }),
    ];
    const out = run('processor.deduplicate', config(1, 'hour'), apiCalls, records);
    expect(out.records).toEqual([records[0], records[2], records[4]]);
  });

  it('measures from the kept record: a key every 30 minutes with a 1-hour window keeps every other', () => {
    const records = Array.from({ length: 6 }, (_, i) => call(new Date(Date.UTC(2026, 0, 1, 0, 30 * i)).toISOString()));
    expect(run('processor.deduplicate', { ...config(60, 'minute'), keys: ['customerId'] }, apiCalls, records).records).toEqual([records[0], records[2], records[4]]);
  });

  it('rejects records without a time, saying why', () => {
    const out = run('processor.deduplicate', config(1, 'day'), apiCalls, [call('not a time')]);
    expect(out.records).toEqual([]);
    expect(out.rejected[0]!.reason).toBe('“occurredAt” is missing or not a date and time, so repeats cannot be told apart.');
  });
});

describe('Aggregate', () => {
  const aggregate = (window: { amount: number; unit: string }, timeZone: string, measures: unknown[] = [{ name: 'calls', fn: 'count' }]) => ({ groupBy: ['customerId'], timeField: 'occurredAt', window, timeZone, measures });
  const windows = (records: FlowRecord[]) => records.map((r) => `${r.windowStart as string} ${r.windowEnd as string} ${r.calls as number}`);

  it('makes a day of 25 hours where the clocks go back (Europe/Berlin, 2026-10-25)', () => {
    const records = ['2026-10-24T21:59:59Z', '2026-10-24T22:00:00Z', '2026-10-25T22:59:59Z', '2026-10-25T23:00:00Z'].map((t) => call(t));
    expect(windows(run('processor.aggregate', aggregate({ amount: 1, unit: 'day' }, 'Europe/Berlin'), apiCalls, records).records)).toEqual([
      '2026-10-23T22:00:00.000Z 2026-10-24T22:00:00.000Z 1',
      '2026-10-24T22:00:00.000Z 2026-10-25T23:00:00.000Z 2',
      '2026-10-25T23:00:00.000Z 2026-10-26T23:00:00.000Z 1',
    ]);
  });

  it('counts 23 hourly windows on the day the clocks go forward (America/New_York, 2026-03-08)', () => {
    const records = Array.from({ length: 30 }, (_, i) => call(new Date(Date.UTC(2026, 2, 8, 5) + i * 3_600_000 - 1).toISOString()));
    const out = run('processor.aggregate', aggregate({ amount: 1, unit: 'hour' }, 'America/New_York'), apiCalls, records).records;
    const onTheDay = out.filter((r) => (r.windowStart as string) >= '2026-03-08T05:00:00.000Z' && (r.windowStart as string) < '2026-03-09T04:00:00.000Z');
    expect(onTheDay).toHaveLength(23);
    expect(onTheDay.every((r) => Date.parse(r.windowEnd as string) - Date.parse(r.windowStart as string) === 3_600_000)).toBe(true);
  });

  it('follows calendar months in the zone, across month ends and a DST change', () => {
    const records = ['2026-01-31T23:30:00-05:00', '2026-02-01T00:00:00-05:00', '2026-02-28T23:59:59-05:00', '2026-03-01T00:00:00-05:00', '2026-03-31T23:59:00-04:00'].map((t) =>
      call(new Date(t).toISOString()),
    );
    expect(windows(run('processor.aggregate', aggregate({ amount: 1, unit: 'month' }, 'America/New_York'), apiCalls, records).records)).toEqual([
      '2026-01-01T05:00:00.000Z 2026-02-01T05:00:00.000Z 1',
      '2026-02-01T05:00:00.000Z 2026-03-01T05:00:00.000Z 2',
      '2026-03-01T05:00:00.000Z 2026-04-01T04:00:00.000Z 2',
    ]);
  });

  it('starts weeks on Monday at local midnight, and minute windows at local midnight', () => {
    const week = run('processor.aggregate', aggregate({ amount: 1, unit: 'week' }, 'Asia/Kolkata'), apiCalls, [call('2026-11-29T12:00:00Z')]).records;
    expect(windows(week)).toEqual(['2026-11-22T18:30:00.000Z 2026-11-29T18:30:00.000Z 1']);
    const minutes = run('processor.aggregate', aggregate({ amount: 7, unit: 'minute' }, 'Asia/Kolkata'), apiCalls, [call('2026-11-29T18:36:59Z')]).records;
    expect(windows(minutes)).toEqual(['2026-11-29T18:30:00.000Z 2026-11-29T18:37:00.000Z 1']);
  });

  it('computes every measure per group and rejects records without a time', () => {
    const measures = [
      { name: 'n', fn: 'count' },
      { name: 'total', fn: 'sum', field: 'units' },
      { name: 'least', fn: 'min', field: 'cost' },
      { name: 'most', fn: 'max', field: 'occurredAt' },
      { name: 'mean', fn: 'avg', field: 'units' },
      { name: 'endpoints', fn: 'uniqueCount', field: 'endpoint' },
      { name: 'last', fn: 'latest', field: 'endpoint' },
    ];
    const records = [
      call('2026-05-01T10:00:00Z', { units: 2, cost: 1.5, endpoint: '/a' }),
      call('2026-05-01T12:00:00Z', { units: 4, cost: 0.5, endpoint: '/b' }),
      call('2026-05-01T11:00:00Z', { units: 6, endpoint: '/a' }),
      call('2026-05-01T11:00:00Z', { customerId: 'C2', units: 1 }),
      call('', { units: 100 }),
    ];
    const out = run('processor.aggregate', aggregate({ amount: 1, unit: 'day' }, 'UTC', measures), apiCalls, records);
    expect(out.records).toEqual([
      { customerId: 'C1', windowStart: '2026-05-01T00:00:00.000Z', windowEnd: '2026-05-02T00:00:00.000Z', partial: false, n: 3, total: 12, least: 0.5, most: '2026-05-01T12:00:00Z', mean: 4, endpoints: 2, last: '/b' },
      { customerId: 'C2', windowStart: '2026-05-01T00:00:00.000Z', windowEnd: '2026-05-02T00:00:00.000Z', partial: false, n: 1, total: 1, least: null, most: '2026-05-01T11:00:00Z', mean: 1, endpoints: 0, last: null },
    ]);
    expect(out.rejected.map((r) => r.reason)).toEqual(['“occurredAt” is missing or not a date and time, so the record has no window.']);
  });

  /** An hourly count per customer, in the given run scope, fed one push per list. */
  function pushes(batches: FlowRecord[][], scope?: { from: string | null; to: string | null }) {
    const config = aggregateSpec.configSchema.parse(aggregate({ amount: 1, unit: 'hour' }, 'UTC'));
    const processor = aggregateSpec.createProcessor!(config, apiCalls, { ...context, scope });
    return [...batches.map((b) => processor.push(b)), processor.flush()].map((o) => ({ windows: windows(o.records).map((w, i) => `${w}${o.records[i]!.partial ? ' partial' : ''}`), rejected: o.rejected.map((r) => r.reason) }));
  }

  it('emits a window as soon as a record reaches its end, not only at flush', () => {
    const out = pushes([[call('2026-05-01T10:00:00Z'), call('2026-05-01T10:59:59Z')], [call('2026-05-01T11:00:00Z'), call('2026-05-01T13:30:00Z')], [call('2026-05-01T13:45:00Z')]]);
    expect(out.map((o) => o.windows)).toEqual([
      [],
      ['2026-05-01T10:00:00.000Z 2026-05-01T11:00:00.000Z 2', '2026-05-01T11:00:00.000Z 2026-05-01T12:00:00.000Z 1'],
      [],
      ['2026-05-01T13:00:00.000Z 2026-05-01T14:00:00.000Z 2'],
    ]);
  });

  it('marks the windows the run’s scope cuts as partial, and only those', () => {
    const records = ['2026-05-01T10:30:00Z', '2026-05-01T11:10:00Z', '2026-05-01T12:20:00Z'].map((t) => call(t));
    const cut = pushes([records], { from: '2026-05-01T10:30:00Z', to: '2026-05-01T12:30:00Z' });
    expect(cut.flatMap((o) => o.windows)).toEqual([
      '2026-05-01T10:00:00.000Z 2026-05-01T11:00:00.000Z 1 partial',
      '2026-05-01T11:00:00.000Z 2026-05-01T12:00:00.000Z 1',
      '2026-05-01T12:00:00.000Z 2026-05-01T13:00:00.000Z 1 partial',
    ]);
    const aligned = pushes([records], { from: '2026-05-01T10:00:00Z', to: '2026-05-01T13:00:00Z' });
    expect(aligned.flatMap((o) => o.windows).filter((w) => w.endsWith('partial'))).toEqual([]);
    expect(pushes([records], { from: null, to: null }).flatMap((o) => o.windows).filter((w) => w.endsWith('partial'))).toEqual([]);
  });

  it('emits a window again, whole, when a record arrives after it was emitted (an upsert keyed on it then holds the right total)', () => {
    const out = pushes([[call('2026-05-01T10:10:00Z'), call('2026-05-01T11:10:00Z')], [call('2026-05-01T10:20:00Z'), call('2026-05-01T11:20:00Z')]]);
    expect(out.map((o) => o.windows)).toEqual([['2026-05-01T10:00:00.000Z 2026-05-01T11:00:00.000Z 1'], ['2026-05-01T10:00:00.000Z 2026-05-01T11:00:00.000Z 2'], ['2026-05-01T11:00:00.000Z 2026-05-01T12:00:00.000Z 2']]);
  });

  it('refuses the output name “partial” for a group-by field', () => {
    const input: FlowSchema = { fields: [...apiCalls.fields, { name: 'Partial', type: 'boolean', required: true }] };
    const config = aggregateSpec.configSchema.parse({ ...aggregate({ amount: 1, unit: 'hour' }, 'UTC'), groupBy: ['Partial'] });
    expect(aggregateSpec.check(config, input, context, { id: 'agg', kind: 'processor.aggregate', label: '', position: { x: 0, y: 0 }, config }).map((p) => p.message)).toEqual([
      'Aggregate: the group-by field “Partial” has the name of the output field “partial”; rename it with a Map before this node.',
    ]);
  });

  it('refuses windows beyond a month and unknown time zones', () => {
    const schema = NODE_KIND_SPECS['processor.aggregate'].configSchema;
    expect(schema.safeParse(aggregate({ amount: 2, unit: 'month' }, 'UTC')).success).toBe(false);
    expect(schema.safeParse(aggregate({ amount: 1, unit: 'day' }, 'Mars/Olympus')).error?.issues[0]?.message).toBe('This is not a time zone; choose one such as UTC or Europe/Berlin.');
  });
});

describe('Event Store target', () => {
  const config = { storeId: dailyUsageStore.id, mapping: dailyUsageMapping };
  const input: FlowSchema = {
    fields: [
      { name: 'customerId', type: 'string', required: true },
      { name: 'windowStart', type: 'datetime', required: true },
      { name: 'calls', type: 'json', required: false },
    ],
  };

  it('shapes each record into the store’s fields and rejects what the store would refuse, naming the field', () => {
    const out = run('target.eventStore', config, input, [
      { customerId: 'C1', windowStart: '2026-05-01T00:00:00+02:00', calls: 3 },
      { customerId: 'C2', windowStart: '2026-05-01T00:00:00Z', calls: 2.5 },
      { customerId: 'C3', windowStart: '2026-05-01T00:00:00Z' },
    ]);
    expect(out.records).toEqual([{ id: 'C1-2026-05-01T00:00:00+02:00', day: '2026-04-30T22:00:00.000Z', customer: 'C1', calls: 3 }]);
    expect(out.rejected.map((r) => r.reason)).toEqual(['“calls” must be a whole number, got 2.5.', 'Required field “calls” is missing.']);
  });
});

describe('Usage records target', () => {
  it('rejects an end before the start', () => {
    const input: FlowSchema = { fields: ['a', 'u', 's', 'e', 'k'].map((name) => ({ name, type: name === 's' || name === 'e' ? 'datetime' : 'string', required: true })) };
    const mapping = { accountNumber: 'a', unitOfMeasure: 'u', quantity: '2', startDateTime: 's', endDateTime: 'e', uniqueKey: 'k' };
    const out = run('target.usageRecords', { mapping }, input, [
      { a: 'A1', u: 'GB', s: '2026-05-01T00:00:00Z', e: '2026-05-02T00:00:00Z', k: 'k1' },
      { a: 'A1', u: 'GB', s: '2026-05-02T00:00:00Z', e: '2026-05-01T00:00:00Z', k: 'k2' },
    ]);
    expect(out.records).toEqual([{ accountNumber: 'A1', unitOfMeasure: 'GB', quantity: 2, startDateTime: '2026-05-01T00:00:00.000Z', endDateTime: '2026-05-02T00:00:00.000Z', uniqueKey: 'k1' }]);
    expect(out.rejected[0]!.reason).toMatch(/^“endDateTime” \(2026-05-01T00:00:00.000Z\) is before “startDateTime”/);
    expect(USAGE_RECORD_FIELDS.filter((f) => !f.required).map((f) => f.name)).toEqual(['subscriptionNumber', 'chargeNumber']);
  });
});

describe('File upload source', () => {
  it('converts CSV text to the declared types and rejects what does not fit', () => {
    const fields = [
      { name: 'id', type: 'string', required: true },
      { name: 'n', type: 'integer', required: false },
      { name: 'at', type: 'datetime', required: true },
      { name: 'ok', type: 'boolean', required: false },
      { name: 'meta', type: 'json', required: false },
    ];
    const out = run('source.fileUpload', { fileName: 'a.csv', format: 'csv', fields }, { fields: [] }, [
      { id: 'a', n: '12', at: '2026-01-01 10:00', ok: 'TRUE', meta: '{"x":1}', ignored: 'x' },
      { id: 'b', n: '1.5', at: '2026-01-01' },
      { id: 'c', n: '' },
      JSON.parse('{"id":"d","at":"2026-01-01","__proto__":{"x":1}}') as FlowRecord,
    ]);
    expect(out.records).toEqual([
      { id: 'a', n: 12, at: '2026-01-01T10:00:00.000Z', ok: true, meta: { x: 1 } },
      { id: 'd', at: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(out.rejected.map((r) => r.reason)).toEqual(['“n” must be a whole number, got “1.5”.', 'Required field “at” is missing.']);
  });
});

describe('suggestMapping', () => {
  it('maps by name, case-insensitively, then the event time to a datetime field', () => {
    const input: FlowSchema = {
      fields: [
        { name: 'CUSTOMER', type: 'string', required: true },
        { name: 'calls', type: 'integer', required: true },
        { name: 'windowStart', type: 'datetime', required: true },
        { name: 'windowEnd', type: 'datetime', required: true },
      ],
    };
    expect(suggestMapping(dailyUsageStore.definition.fields, input, 'day')).toEqual({ customer: 'CUSTOMER', calls: 'calls', day: 'windowStart' });
    expect(suggestMapping(apiCallsStore.definition.fields, { fields: [{ name: 'at', type: 'datetime', required: true }] })).toEqual({ occurredAt: 'at' });
  });
});
