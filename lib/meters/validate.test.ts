import { describe, expect, it } from 'vitest';
import { apiCallsStore, chain, dailyUsageMapping, dailyUsageStore, edge, fiveStepMeter, meterContext, node } from '@/lib/meters/fixtures';
import type { MeterGraph } from '@/lib/meters/graph';
import type { MeterProblem } from '@/lib/meters/problems';
import { analyzeMeter, mergeInputs, validateMeter } from '@/lib/meters/validate';

const context = meterContext();
const codes = (problems: MeterProblem[]) => problems.map((p) => p.code).sort();
const only = (problems: MeterProblem[], code: string) => {
  const found = problems.filter((p) => p.code === code);
  expect(found, `${code} in ${JSON.stringify(problems, null, 1)}`).toHaveLength(1);
  return found[0]!;
};

const source = (id = 'source', storeId = apiCallsStore.id) => node(id, 'source.eventStore', { storeId });
const filter = (id: string, condition = 'units > 0', label = '') => node(id, 'processor.filter', { condition }, label);
const apiCallsMapping = { eventId: 'eventId', occurredAt: 'occurredAt', customerId: 'customerId', units: 'units' };
const storeTarget = (id: string, storeId = dailyUsageStore.id, mapping: Record<string, string> = storeId === apiCallsStore.id ? apiCallsMapping : dailyUsageMapping, label = '') =>
  node(id, 'target.eventStore', { storeId, mapping }, label);
const aggregate = (id: string, window = { amount: 1, unit: 'day' }) =>
  node(id, 'processor.aggregate', { groupBy: ['customerId'], timeField: 'occurredAt', window, timeZone: 'Europe/Berlin', measures: [{ name: 'calls', fn: 'sum', field: 'units' }] });
const usageMapping = { accountNumber: 'customerId', unitOfMeasure: "'calls'", quantity: 'calls', startDateTime: 'windowStart', endDateTime: 'windowEnd', uniqueKey: 'customerId + windowStart' };
const usageTarget = (id: string) => node(id, 'target.usageRecords', { mapping: usageMapping });
/** Source → Filter → Aggregate → Event Store: a valid meter to break. */
const valid = (): MeterGraph => chain([source(), filter('filter'), aggregate('aggregate'), storeTarget('target')]);

describe('validateMeter', () => {
  it('finds nothing wrong in valid meters', () => {
    expect(validateMeter(valid(), context)).toEqual([]);
    expect(validateMeter(fiveStepMeter(), context)).toEqual([]);
    expect(validateMeter(chain([source(), aggregate('aggregate'), usageTarget('usage')]), context)).toEqual([]);
  });

  it('refuses one store as source and target of the same meter, marking both nodes', () => {
    const graph = chain([source('s', apiCallsStore.id), filter('f'), storeTarget('t', apiCallsStore.id, apiCallsMapping, 'Back into api-calls')]);
    const problem = only(validateMeter(graph, context), 'STORE_SOURCE_AND_TARGET');
    expect(problem.severity).toBe('error');
    expect(problem.nodeIds.sort()).toEqual(['s', 't']);
    expect(problem.message).toBe(
      'The same event store may not be both a source and a target of one meter: store “api-calls” is read by Event Store source and written by Event Store target “Back into api-calls”. Choose another store for the target.',
    );
  });

  it('refuses one store as two targets, marking every one of them', () => {
    const graph: MeterGraph = {
      nodes: [source(), aggregate('a'), storeTarget('t1'), storeTarget('t2'), storeTarget('t3')],
      edges: [edge('source', 'a'), edge('a', 't1'), edge('a', 't2'), edge('a', 't3')],
    };
    const problem = only(validateMeter(graph, context), 'STORE_TARGET_TWICE');
    expect(problem.nodeIds).toEqual(['t1', 't2', 't3']);
    expect(problem.message).toMatch(/^The same event store may not be more than one target of one meter: store “daily-usage” is written by Event Store target, Event Store target and Event Store target\./);
    // Two different stores as targets are fine.
    const two = chain([source(), aggregate('a'), storeTarget('t1')], []);
    expect(codes(validateMeter(two, context))).toEqual([]);
  });

  it('finds cycles and lists their nodes and edges', () => {
    const graph = chain([source(), filter('f1', 'units > 0', 'One'), filter('f2'), filter('f3'), storeTarget('t', apiCallsStore.id === 'x' ? 'x' : dailyUsageStore.id)], [edge('f3', 'f1', 'back')]);
    graph.nodes[4] = node('t', 'target.webhook', { url: 'https://example.com/hook', batchSize: 10 });
    const problem = only(validateMeter(graph, context), 'CYCLE');
    expect(problem.nodeIds.sort()).toEqual(['f1', 'f2', 'f3']);
    expect(problem.edgeIds.sort()).toEqual(['back', 'f1-f2', 'f2-f3']);
    expect(problem.message).toMatch(/Filter “One”, Filter, Filter form a cycle.*Remove one of the connections/);
  });

  it('requires every node to be connected', () => {
    const graph = valid();
    graph.nodes.push(filter('lonely', 'units > 1', 'Lonely'));
    const problem = only(validateMeter(graph, context), 'NODE_DISCONNECTED');
    expect(problem).toMatchObject({ nodeIds: ['lonely'], message: 'Filter “Lonely” is not connected to anything. Connect it, or delete it.' });
    expect(codes(validateMeter(valid(), context))).not.toContain('NODE_DISCONNECTED');
  });

  it('requires processors to have an input and targets to be reachable from a source', () => {
    const graph: MeterGraph = { nodes: [source(), storeTarget('t0'), filter('f'), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 5 })], edges: [edge('source', 't0'), edge('f', 'w')] };
    const problems = validateMeter(graph, context);
    expect(only(problems, 'PROCESSOR_WITHOUT_INPUT')).toMatchObject({ nodeIds: ['f'], message: 'Filter has no input. Connect a source or another processor to it.' });
    expect(only(problems, 'TARGET_UNREACHABLE')).toMatchObject({ nodeIds: ['w'], edgeIds: ['f-w'] });
    expect(problems.filter((p) => p.nodeIds.includes('t0') && p.code === 'TARGET_UNREACHABLE')).toEqual([]);
  });

  it('requires a source and a target', () => {
    expect(codes(validateMeter({ nodes: [], edges: [] }, context))).toEqual(['NO_SOURCE', 'NO_TARGET']);
    const noTarget = validateMeter(chain([source(), filter('f')]), context);
    expect(only(noTarget, 'NO_TARGET').message).toMatch(/no target\. Add one/);
    expect(codes(noTarget)).not.toContain('NO_SOURCE');
    const noSource = validateMeter({ nodes: [node('w', 'target.webhook', { url: 'https://example.com', batchSize: 5 })], edges: [] }, context);
    expect(codes(noSource)).toEqual(['NO_SOURCE']);
  });

  it('refuses connections out of targets, into sources, to the node itself, and repeated ones', () => {
    const graph = valid();
    graph.edges.push(edge('target', 'filter', 'out-of-target'), edge('filter', 'source', 'into-source'), edge('filter', 'filter', 'self'), edge('source', 'filter', 'again'));
    const problems = validateMeter(graph, context).filter((p) => p.code === 'EDGE_INVALID');
    expect(problems.map((p) => [p.edgeIds, p.message])).toEqual([
      [['out-of-target'], 'Event Store target is a target: nothing flows out of it. Remove the connection from Event Store target to Filter.'],
      [['into-source'], 'Event Store source is a source: nothing flows into it. Remove the connection from Filter to Event Store source.'],
      [['self'], 'Filter is connected to itself; remove that connection.'],
      [['again'], 'Event Store source is connected to Filter twice; remove one of the connections.'],
    ]);
    // The invalid edges are left out of the rest of the analysis: no cycle, no other problem.
    expect(codes(validateMeter(graph, context))).toEqual(['EDGE_INVALID', 'EDGE_INVALID', 'EDGE_INVALID', 'EDGE_INVALID']);
  });

  it('reports missing or invalid config at its path, with a message naming the node', () => {
    const graph = chain([source('s', ''), filter('f', '', 'Drop tests'), node('w', 'target.webhook', { url: 'http://example.com/hook', batchSize: 5000 })]);
    const problems = validateMeter(graph, context).filter((p) => p.code === 'CONFIG_INVALID');
    expect(problems.map((p) => [p.nodeIds[0], p.configPath, p.message])).toEqual([
      ['f', ['condition'], 'Filter “Drop tests”: condition: Write a condition, e.g. units > 0.'],
      ['w', ['url'], 'Webhook: url: Use an https:// address (http:// only for localhost).'],
      ['w', ['batchSize'], 'Webhook: batchSize: Send at most 1,000 records per batch.'],
      ['s', ['storeId'], 'Event Store source: choose an event store.'],
    ]);
  });

  it('says what to enter when a setting has the wrong type or is missing', () => {
    const graph = chain([source(), node('d', 'processor.deduplicate', { keys: 'eventId', timeField: 'occurredAt', window: { unit: 'week' } }), node('w', 'target.webhook', { url: 'https://x.example' })]);
    const messages = validateMeter(graph, context).filter((p) => p.code === 'CONFIG_INVALID').map((p) => p.message);
    expect(messages).toEqual([
      'Deduplicate: keys: This setting must be a list.',
      'Deduplicate: window.amount: Enter the window as a whole number.',
      'Deduplicate: window.unit: Choose the window’s unit: minute, hour or day.',
    ]);
  });

  it('reports a store that no longer exists', () => {
    const graph = chain([source('s', 'gone'), filter('f'), storeTarget('t', 'also-gone')]);
    const problems = validateMeter(graph, context).filter((p) => p.code === 'STORE_NOT_FOUND');
    expect(problems.map((p) => p.nodeIds[0])).toEqual(['s', 't']);
    expect(problems[0]!.message).toBe('Event Store source: its event store no longer exists (or belongs to another workspace). Choose another store.');
  });

  it('requires complete, type-compatible mappings with the event time mapped', () => {
    const mapping = { id: 'customerId', customer: 'calls', calls: 'calls', note: 'calls + 1.5' };
    const graph = chain([source(), aggregate('a'), storeTarget('t', dailyUsageStore.id, mapping, 'Daily')]);
    const problems = validateMeter(graph, context);
    expect(only(problems, 'EVENT_TIME_UNMAPPED')).toMatchObject({
      nodeIds: ['t'],
      configPath: ['mapping', 'day'],
      message: 'Event Store target “Daily”: the event time “day” of store “daily-usage” is not mapped. Map it to a datetime field, e.g. the usage’s start time.',
    });
    expect(codes(problems)).not.toContain('MAPPING_INCOMPLETE');
    expect(problems.filter((p) => p.code === 'MAPPING_TYPE').map((p) => [p.configPath, p.message])).toEqual([
      [['mapping', 'customer'], 'Event Store target “Daily”: “customer” of store “daily-usage” is string, but “calls” gives integer; wrap it in string(…).'],
      [['mapping', 'note'], 'Event Store target “Daily”: “note” of store “daily-usage” is string, but “calls + 1.5” gives number; wrap it in string(…).'],
    ]);
    const incomplete = validateMeter(chain([source(), aggregate('a'), storeTarget('t', dailyUsageStore.id, { day: 'windowStart', calls: 'calls', note: 'customerId' })]), context);
    expect(incomplete.filter((p) => p.code === 'MAPPING_INCOMPLETE').map((p) => p.configPath)).toEqual([
      ['mapping', 'id'],
      ['mapping', 'customer'],
    ]);
    // A whole number fits a number, a number does not fit a whole number, text does not fit a datetime.
    const usage = { ...usageMapping, quantity: 'calls', startDateTime: "'2026-01-01'" };
    const usageProblems = validateMeter(chain([source(), aggregate('a'), node('u', 'target.usageRecords', { mapping: usage })]), context);
    expect(usageProblems.map((p) => [p.code, p.configPath])).toEqual([['MAPPING_TYPE', ['mapping', 'startDateTime']]]);
    expect(usageProblems[0]!.message).toMatch(/wrap it in date\(…\)/);
    const intoInteger = validateMeter(chain([source(), aggregate('a'), storeTarget('t', dailyUsageStore.id, { ...dailyUsageMapping, calls: 'calls / 2' })]), context);
    expect(intoInteger.map((p) => p.code)).toEqual(['MAPPING_TYPE']);
  });

  it('reports a mapping onto a field the store does not have', () => {
    const graph = chain([source(), aggregate('a'), storeTarget('t', dailyUsageStore.id, { ...dailyUsageMapping, colour: 'customerId' })]);
    expect(only(validateMeter(graph, context), 'CONFIG_INVALID').message).toBe('Event Store target: maps “colour”, which store “daily-usage” does not have. Remove that row.');
  });

  it('analyzes every expression against the schema that flows into its node', () => {
    const graph = chain([
      source(),
      node('m', 'processor.map', { keep: 'listed', fields: [{ name: 'amount', expression: 'units * cost' }], drop: [], rename: [{ from: 'customerId', to: 'account' }] }),
      filter('f', "customerId != ''", 'After map'),
      filter('g', 'amount', 'Not boolean'),
      node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 }),
    ]);
    const problems = validateMeter(graph, context).filter((p) => p.code === 'EXPRESSION');
    expect(problems.map((p) => [p.nodeIds, p.configPath])).toEqual([
      [['f'], ['condition']],
      [['g'], ['condition']],
    ]);
    expect(problems[0]!.message).toMatch(/^Filter “After map”: the condition: .*customerId/);
    expect(problems[1]!.message).toMatch(/^Filter “Not boolean”: the condition: A condition must be true or false/);
    // The same filter before the Map is fine.
    expect(validateMeter(chain([source(), filter('f', "customerId != ''"), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 })]), context)).toEqual([]);
  });

  it('warns about two paths into one target without a Deduplicate, and not when one merges them', () => {
    const webhook = node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 });
    const twoPaths: MeterGraph = { nodes: [source(), filter('f1'), filter('f2'), webhook], edges: [edge('source', 'f1'), edge('source', 'f2'), edge('f1', 'w'), edge('f2', 'w')] };
    const problem = only(validateMeter(twoPaths, context), 'PARALLEL_PATHS_WITHOUT_DEDUPLICATE');
    expect(problem).toMatchObject({ severity: 'warning', nodeIds: ['w'], edgeIds: ['f1-w', 'f2-w'] });
    expect(problem.message).toMatch(/^Webhook receives records along 2 paths with no Deduplicate on them/);
    const dedupe = node('d', 'processor.deduplicate', { keys: ['eventId'], timeField: 'occurredAt', window: { amount: 1, unit: 'day' } });
    const merged: MeterGraph = {
      nodes: [source(), filter('f1'), filter('f2'), dedupe, webhook],
      edges: [edge('source', 'f1'), edge('source', 'f2'), edge('f1', 'd'), edge('f2', 'd'), edge('d', 'w')],
    };
    expect(validateMeter(merged, context)).toEqual([]);
  });

  it('warns when an Aggregate feeding usage records has windows that straddle months', () => {
    for (const window of [{ amount: 1, unit: 'week' }, { amount: 2, unit: 'day' }]) {
      const problem = only(validateMeter(chain([source(), aggregate('a', window), usageTarget('u')]), context), 'AGGREGATE_WINDOW_NOT_MONTHLY');
      expect(problem).toMatchObject({ severity: 'warning', nodeIds: ['a', 'u'] });
      expect(problem.message).toMatch(/do not line up with calendar months.*Use a window of 1 month/);
    }
    for (const window of [{ amount: 1, unit: 'month' }, { amount: 1, unit: 'day' }, { amount: 6, unit: 'hour' }]) {
      expect(validateMeter(chain([source(), aggregate('a', window), usageTarget('u')]), context)).toEqual([]);
    }
    // Weekly windows into an event store are not billing periods.
    expect(validateMeter(chain([source(), aggregate('a', { amount: 1, unit: 'week' }), storeTarget('t')]), context)).toEqual([]);
  });
});

describe('analyzeMeter schemas', () => {
  it('gives each node its input and output, fields common to all inputs where several meet', () => {
    const graph: MeterGraph = {
      nodes: [
        source(),
        node('file', 'source.fileUpload', { fileName: 'x.csv', format: 'csv', fields: [{ name: 'CUSTOMERID', type: 'string', required: true }, { name: 'units', type: 'number', required: false }, { name: 'extra', type: 'json' }] }),
        filter('f', 'units > 0'),
        node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 }),
      ],
      edges: [edge('source', 'f'), edge('file', 'f'), edge('f', 'w')],
    };
    const { schemas, problems } = analyzeMeter(graph, context);
    expect(problems.map((p) => p.code)).toEqual(['PARALLEL_PATHS_WITHOUT_DEDUPLICATE']);
    expect(schemas.f!.input.fields).toEqual([
      { name: 'customerId', type: 'string', required: true },
      { name: 'units', type: 'number', required: false },
    ]);
    expect(schemas.f!.output).toBe(schemas.f!.input);
    expect(mergeInputs([{ fields: [{ name: 'a', type: 'string', required: true }] }, { fields: [{ name: 'A', type: 'boolean', required: true }] }]).fields).toEqual([{ name: 'a', type: 'json', required: true }]);
  });

  it('does not check nodes against an unknown input after a broken config, but still finds their own problems', () => {
    const graph = chain([source(), filter('broken', ''), filter('after', 'nonsense > 1'), storeTarget('t', 'gone')]);
    const { problems, schemas } = analyzeMeter(graph, context);
    expect(problems.map((p) => [p.code, p.nodeIds])).toEqual([
      ['CONFIG_INVALID', ['broken']],
      ['STORE_NOT_FOUND', ['t']],
    ]);
    expect(schemas.after).toEqual({ input: { fields: [] }, output: { fields: [] } });
  });

  it('does not check what follows a source without a store against its empty output', () => {
    const problems = validateMeter(chain([source('s', ''), filter('f', 'units > 0'), storeTarget('t')]), context);
    expect(problems.map((p) => [p.code, p.nodeIds])).toEqual([['CONFIG_INVALID', ['s']]]);
  });

  it('types computed fields from their expressions', () => {
    const graph = chain([
      source(),
      node('m', 'processor.map', {
        keep: 'all',
        drop: ['endpoint', 'test'],
        rename: [{ from: 'customerId', to: 'account' }],
        fields: [
          { name: 'double', expression: 'units * 2' },
          { name: 'label', expression: "upper(customerId) + '!'" },
          { name: 'at', expression: 'date(occurredAt)' },
          { name: 'big', expression: 'units > 10' },
          { name: 'raw', expression: '[units]' },
        ],
      }),
      node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 }),
    ]);
    const { schemas, problems } = analyzeMeter(graph, context);
    expect(problems).toEqual([]);
    expect(schemas.m!.output.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'eventId:string',
      'occurredAt:datetime',
      'account:string',
      'units:integer',
      'cost:number',
      'double:number',
      'label:string',
      'at:datetime',
      'big:boolean',
      'raw:json',
    ]);
  });
});

describe('remembered analyses and schemas', () => {
  it('never answer with a stale result after an edit or a changed store definition', () => {
    const graph = (expression: string) =>
      chain([source(), node('m', 'processor.map', { keep: 'all', drop: [], rename: [], fields: [{ name: 'note', expression }] }), aggregate('a'), storeTarget('t', dailyUsageStore.id, { ...dailyUsageMapping, note: 'customerId' })]);
    expect(analyzeMeter(graph('units * 2'), context).schemas.m!.output.fields.at(-1)).toEqual({ name: 'note', type: 'number', required: false });
    expect(analyzeMeter(graph("'n' + units"), context).schemas.m!.output.fields.at(-1)).toEqual({ name: 'note', type: 'string', required: false });
    expect(validateMeter(graph('units * 2'), context)).toEqual([]);

    // The same store id, its definition changed since (units became text): the filter now compares text with a number.
    const changed = { ...apiCallsStore, definition: { ...apiCallsStore.definition, fields: apiCallsStore.definition.fields.map((f) => (f.name === 'units' ? { ...f, type: 'string' as const } : f)) } };
    const meter = () => chain([source(), filter('f', 'units > 0'), node('w', 'target.webhook', { url: 'https://example.com', batchSize: 1 })]);
    expect(validateMeter(meter(), context)).toEqual([]);
    const after = analyzeMeter(meter(), meterContext(changed, dailyUsageStore));
    expect(after.schemas.f!.input.fields.find((f) => f.name === 'units')!.type).toBe('string');
  });
});
