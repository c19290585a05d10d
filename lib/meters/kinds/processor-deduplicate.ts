import { z } from 'zod';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { findField } from '@/lib/meters/kinds/field-types';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { configError } from '@/lib/meters/kinds/node-problems';
import { keyOf, missingFieldProblems, timeFieldProblem, withTimes } from '@/lib/meters/kinds/time-fields';

export const DEDUPLICATE_UNITS = ['minute', 'hour', 'day'] as const;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export const deduplicateConfigSchema = z.object({
  keys: z.array(z.string()).max(20, 'Use at most 20 key fields.').default([]),
  timeField: z.string({ error: 'Choose the time field.' }).default(''),
  window: z
    .object({
      amount: z.number({ error: 'Enter the window as a whole number.' }).int('Enter the window as a whole number.').min(1, 'The window must be at least 1.').max(1000, 'Keep the window to 1,000 or fewer.'),
      unit: z.enum(DEDUPLICATE_UNITS, { error: 'Choose the window’s unit: minute, hour or day.' }),
    })
    .default({ amount: 1, unit: 'day' }),
});
/**
 * Drops repeats: a record is a duplicate when a record with the same `keys` values was kept less than
 * `window` before (or after) it, by `timeField`. So the first record of a burst is kept, and a key that
 * recurs every 30 minutes with a 1-hour window keeps every other record.
 */
export type DeduplicateConfig = z.output<typeof deduplicateConfigSchema>;

/**
 * The keys kept within the last `windowMs` of event time, oldest first (a Map's insertion order: a key kept
 * again moves to the end). Each time the newest time advances, keys kept at or before newest − window are
 * let go: a record at or after the newest time is at least a window away from them, so they can match
 * nothing more. Memory is the number of distinct keys kept within one window, whatever the scope.
 *
 * Records out of time order are still compared with every key kept, but a record more than a window older
 * than the newest may find its key already let go, and is then kept (a repeat that late can pass; none that
 * arrives in order can).
 */
export function repeatWindow(windowMs: number) {
  const kept = new Map<string, number>();
  let newest = -Infinity;
  return {
    /** Whether `key` at `time` repeats a record kept less than the window before or after it; if not, keeps it. */
    isRepeat(key: string, time: number): boolean {
      if (time > newest) {
        newest = time;
        for (const [k, t] of kept) {
          if (t > newest - windowMs) break;
          kept.delete(k);
        }
      }
      const previous = kept.get(key);
      if (previous !== undefined && Math.abs(time - previous) < windowMs) return true;
      kept.delete(key);
      kept.set(key, time);
      return false;
    },
    get size() {
      return kept.size;
    },
  };
}

export const deduplicateSpec: NodeKindSpec<DeduplicateConfig> = {
  kind: 'processor.deduplicate',
  category: 'processor',
  label: KIND_LABELS['processor.deduplicate'],
  description: 'Drops records whose key fields repeat within a time window.',
  keywords: ['distinct', 'unique', 'duplicates', 'dedupe', 'once'],
  configSchema: deduplicateConfigSchema,
  defaultConfig: () => ({ keys: [], timeField: '', window: { amount: 1, unit: 'day' } }),
  inputs: 1,
  outputs: 1,
  outputSchema: (_config, input) => input,
  check: (config, input, _context, node) => {
    const problems = config.keys.length
      ? missingFieldProblems(node, config.keys, input, 'keys', 'The key field')
      : [configError(node, 'choose the key fields that identify a repeat (e.g. the event id).', ['keys'])];
    const time = timeFieldProblem(node, config.timeField, input);
    return time ? [...problems, time] : problems;
  },
  storeRefs: () => [],
  summary: (config) => `${config.keys.join(', ') || 'no keys'} within ${config.window.amount} ${config.window.unit}${config.window.amount === 1 ? '' : 's'}`,
  createProcessor: (config, input) => {
    const keys = config.keys.map((k) => findField(input.fields, k)?.name ?? k);
    const timeField = findField(input.fields, config.timeField)?.name ?? config.timeField;
    const window = repeatWindow(config.window.amount * UNIT_MS[config.window.unit]);
    return {
      push(records) {
        const { timed, rejected } = withTimes(records, timeField, 'repeats cannot be told apart');
        const out = timed.filter(({ record, time }) => !window.isRepeat(keyOf(record, keys), time)).map(({ record }) => record);
        return { records: out, rejected };
      },
      flush: () => ({ records: [], rejected: [] }),
    };
  },
};
