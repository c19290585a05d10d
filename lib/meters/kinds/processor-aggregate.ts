import { z } from 'zod';
import type { FlowField, FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { accumulator, MEASURE_FUNCTIONS, MEASURE_INPUTS, measureField, type Accumulator } from '@/lib/meters/kinds/aggregate-measures';
import { fieldNameSchema, findField } from '@/lib/meters/kinds/field-types';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { configError } from '@/lib/meters/kinds/node-problems';
import { keyOf, missingFieldProblems, timeFieldProblem, withTimes } from '@/lib/meters/kinds/time-fields';
import { isTimeZone, MAX_WINDOW_AMOUNT, WINDOW_UNITS, windowFinder } from '@/lib/meters/kinds/tumbling-window';
import { MAX_RETAINED_WINDOWS, windowBuckets, type WindowBucket } from '@/lib/meters/kinds/window-buckets';
import type { MeterProblem } from '@/lib/meters/problems';

/** The output fields every Aggregate adds beside its group-by fields and measures. */
export const WINDOW_FIELDS = ['windowStart', 'windowEnd', 'partial'] as const;

export const aggregateConfigSchema = z.object({
  groupBy: z.array(z.string()).max(20, 'Group by at most 20 fields.').default([]),
  timeField: z.string({ error: 'Choose the time field.' }).default(''),
  window: z
    .object({
      amount: z.number({ error: 'Enter the window as a whole number.' }).int('Enter the window as a whole number.').min(1, 'The window must be at least 1.'),
      unit: z.enum(WINDOW_UNITS, { error: 'Choose the window’s unit: minute, hour, day, week or month.' }),
    })
    .refine((w) => w.amount <= MAX_WINDOW_AMOUNT[w.unit], {
      message: `Windows run from 1 minute to 1 calendar month: at most ${Object.entries(MAX_WINDOW_AMOUNT).map(([unit, n]) => `${n} ${unit}${n === 1 ? '' : 's'}`).join(', ')}.`,
      path: ['amount'],
    })
    .default({ amount: 1, unit: 'hour' }),
  timeZone: z
    .string({ error: 'Choose a time zone.' })
    .default('UTC')
    .refine(isTimeZone, { message: 'This is not a time zone; choose one such as UTC or Europe/Berlin.' }),
  measures: z
    .array(
      z.object({
        name: fieldNameSchema,
        fn: z.enum(MEASURE_FUNCTIONS, { error: `Choose a function: ${MEASURE_FUNCTIONS.join(', ')}.` }),
        field: z.string().optional(),
      }),
    )
    .max(50, 'Use at most 50 measures.')
    .default([]),
});
/**
 * Tumbling windows on `timeField` in `timeZone` (see tumbling-window.ts), per distinct `groupBy` values.
 * Each output record: the group-by fields, windowStart and windowEnd (UTC ISO text), `partial`, one field per
 * measure. A window is emitted as soon as a record's time reaches its end (input comes in time order; see
 * window-buckets.ts for records out of order), the rest at flush, in window order. `partial` is true when
 * the run's scope (context.scope) cuts the window: it starts before the scope's start or ends after its
 * end. Preview has no scope, so it is always false there.
 */
export type AggregateConfig = z.output<typeof aggregateConfigSchema>;

function outputSchema(config: AggregateConfig, input: FlowSchema): FlowSchema {
  const fields: FlowField[] = [];
  for (const name of config.groupBy) {
    const field = findField(input.fields, name);
    if (field) fields.push(field);
  }
  fields.push(
    { name: 'windowStart', type: 'datetime', required: true },
    { name: 'windowEnd', type: 'datetime', required: true },
    { name: 'partial', type: 'boolean', required: true, description: 'True when the run’s scope cuts the window (it starts before the scope’s start or ends after its end), so the window is not counted whole.' },
  );
  for (const m of config.measures) fields.push(measureField(m.name, m.fn, m.field ? findField(input.fields, m.field) : undefined));
  return { fields };
}

function check(config: AggregateConfig, input: FlowSchema, node: Parameters<typeof configError>[0]): MeterProblem[] {
  const problems = missingFieldProblems(node, config.groupBy, input, 'groupBy', 'The group-by field');
  const time = timeFieldProblem(node, config.timeField, input);
  if (time) problems.push(time);
  if (!config.measures.length) problems.push(configError(node, 'add at least one measure, e.g. count.', ['measures']));
  config.groupBy.forEach((name, i) => {
    const clash = WINDOW_FIELDS.find((w) => w.toLowerCase() === name.toLowerCase());
    if (clash) problems.push(configError(node, `the group-by field “${name}” has the name of the output field “${clash}”; rename it with a Map before this node.`, ['groupBy', i]));
  });
  const taken = new Set([...config.groupBy, ...WINDOW_FIELDS].map((n) => n.toLowerCase()));
  config.measures.forEach((m, i) => {
    if (taken.has(m.name.toLowerCase())) problems.push(configError(node, `the measure name “${m.name}” is taken by another output field; rename the measure.`, ['measures', i, 'name']));
    taken.add(m.name.toLowerCase());
    const accepts = MEASURE_INPUTS[m.fn];
    if (!accepts) return;
    if (!m.field) return void problems.push(configError(node, `measure “${m.name}” (${m.fn}) needs a field; choose one.`, ['measures', i, 'field']));
    const field = findField(input.fields, m.field);
    if (!field) problems.push(configError(node, `measure “${m.name}” reads “${m.field}”, which does not reach this node. Choose an incoming field.`, ['measures', i, 'field']));
    else if (!accepts.includes(field.type)) {
      problems.push(configError(node, `measure “${m.name}”: ${m.fn} needs a ${accepts.join(' or ')} field, and “${field.name}” is ${field.type}. Choose another field or function.`, ['measures', i, 'field']));
    }
  });
  return problems;
}

const groupOf = (record: FlowRecord, groupBy: string[]) => {
  const group: FlowRecord = {};
  for (const name of groupBy) group[name] = Object.hasOwn(record, name) ? (record[name] ?? null) : null;
  return group;
};

const lateReason = ([start, end]: [number, number]) =>
  `the record arrived after its window (${new Date(start).toISOString()} to ${new Date(end).toISOString()}) was emitted and let go: an Aggregate keeps the last ${MAX_RETAINED_WINDOWS.toLocaleString('en')} windows for records out of time order. Send the records in time order.`;

export const aggregateSpec: NodeKindSpec<AggregateConfig> = {
  kind: 'processor.aggregate',
  category: 'processor',
  label: KIND_LABELS['processor.aggregate'],
  description: 'Counts, sums and more per group and time window (a minute to a calendar month).',
  keywords: ['group', 'sum', 'count', 'rollup', 'window', 'total', 'summarize'],
  configSchema: aggregateConfigSchema,
  defaultConfig: () => ({ groupBy: [], timeField: '', window: { amount: 1, unit: 'hour' }, timeZone: 'UTC', measures: [{ name: 'count', fn: 'count' }] }),
  inputs: 1,
  outputs: 1,
  outputSchema,
  check: (config, input, _context, node) => check(config, input, node),
  storeRefs: () => [],
  summary: (config) => `${config.measures.map((m) => m.fn).join(', ') || 'no measures'} per ${config.window.amount === 1 ? '' : `${config.window.amount} `}${config.window.unit}${config.window.amount === 1 ? '' : 's'}${config.groupBy.length ? ` by ${config.groupBy.join(', ')}` : ''}`,
  createProcessor: (config, input, context) => {
    const canonical = (name: string) => findField(input.fields, name)?.name ?? name;
    const groupBy = config.groupBy.map(canonical);
    const timeField = canonical(config.timeField);
    const measures = config.measures.map((m) => ({ ...m, field: m.field ? canonical(m.field) : undefined, type: m.field ? findField(input.fields, m.field)?.type : undefined }));
    const windowFor = windowFinder(config.window, config.timeZone);
    const buckets = windowBuckets(() => measures.map((m) => accumulator(m.fn, m.type)));
    const from = context.scope?.from ? Date.parse(context.scope.from) : -Infinity;
    const to = context.scope?.to ? Date.parse(context.scope.to) : Infinity;
    const emit = (all: WindowBucket<Accumulator[]>[]) =>
      all.map((b) => {
        const out: FlowRecord = { ...b.group, windowStart: new Date(b.start).toISOString(), windowEnd: new Date(b.end).toISOString(), partial: b.start < from || b.end > to };
        measures.forEach((m, i) => (out[m.name] = b.state[i]!.result()));
        return out;
      });
    return {
      push(records) {
        const { timed, rejected } = withTimes(records, timeField, 'the record has no window');
        for (const { record, time } of timed) {
          const window = windowFor(time);
          const bucket = buckets.bucketFor(window, keyOf(record, groupBy), () => groupOf(record, groupBy), time);
          if ('late' in bucket) {
            rejected.push({ record, reason: lateReason(window) });
            continue;
          }
          for (let i = 0; i < measures.length; i++) {
            const field = measures[i]!.field;
            bucket.state[i]!.add(field && Object.hasOwn(record, field) ? record[field] : undefined, time);
          }
        }
        return { records: emit(buckets.takeClosed()), rejected };
      },
      flush: () => ({ records: emit(buckets.takeAll()), rejected: [] }),
    };
  },
};
