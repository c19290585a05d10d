import type { FieldType } from '@/lib/event-definitions/definition-schema';
import type { FlowField } from '@/lib/meters/flow-schema';
import { recordTime } from '@/lib/meters/kinds/time-fields';

export const MEASURE_FUNCTIONS = ['count', 'sum', 'min', 'max', 'avg', 'uniqueCount', 'latest'] as const;
export type MeasureFunction = (typeof MEASURE_FUNCTIONS)[number];

/** The field types each function accepts (count reads no field). */
export const MEASURE_INPUTS: Record<MeasureFunction, readonly FieldType[] | null> = {
  count: null,
  sum: ['number', 'integer'],
  avg: ['number', 'integer'],
  min: ['number', 'integer', 'datetime', 'string'],
  max: ['number', 'integer', 'datetime', 'string'],
  uniqueCount: ['string', 'number', 'integer', 'boolean', 'datetime', 'json'],
  latest: ['string', 'number', 'integer', 'boolean', 'datetime', 'json'],
};

/** The output field of a measure over `field` (undefined for count). */
export function measureField(name: string, fn: MeasureFunction, field: FlowField | undefined): FlowField {
  if (fn === 'count' || fn === 'uniqueCount') return { name, type: 'integer', required: true };
  if (fn === 'avg') return { name, type: 'number', required: false };
  return { name, type: field?.type ?? 'json', required: false };
}

/** One measure's running state over the records of one window and group. */
export interface Accumulator {
  add(value: unknown, time: number): void;
  result(): unknown;
}

const numeric = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function extreme(sign: 1 | -1, type: FieldType | undefined): Accumulator {
  let best: unknown = null;
  let bestKey: number | string | null = null;
  return {
    add(value) {
      let key: number | string | null = null;
      if (type === 'datetime') key = recordTime(value);
      else if (type === 'string') key = typeof value === 'string' ? value : null;
      else key = numeric(value) ? value : null;
      if (key === null) return;
      if (bestKey === null || (sign === 1 ? key > bestKey : key < bestKey)) {
        best = value;
        bestKey = key;
      }
    },
    result: () => best,
  };
}

/** A fresh accumulator for a measure; values are read from the measure's field by the caller. */
export function accumulator(fn: MeasureFunction, type: FieldType | undefined): Accumulator {
  switch (fn) {
    case 'count': {
      let n = 0;
      return { add: () => void (n += 1), result: () => n };
    }
    case 'sum': {
      let sum: number | null = null;
      return { add: (v) => void (numeric(v) && (sum = (sum ?? 0) + v)), result: () => sum };
    }
    case 'avg': {
      let sum = 0;
      let n = 0;
      return {
        add: (v) => {
          if (numeric(v)) {
            sum += v;
            n += 1;
          }
        },
        result: () => (n ? sum / n : null),
      };
    }
    case 'min':
      return extreme(-1, type);
    case 'max':
      return extreme(1, type);
    case 'uniqueCount': {
      const seen = new Set<string>();
      return { add: (v) => void (v !== null && v !== undefined && seen.add(typeof v === 'string' ? `s${v}` : JSON.stringify(v))), result: () => seen.size };
    }
    case 'latest': {
      let value: unknown = null;
      let at = -Infinity;
      return {
        add: (v, time) => {
          if (v !== null && v !== undefined && time >= at) {
            value = v;
            at = time;
          }
        },
        result: () => value,
      };
    }
  }
}
