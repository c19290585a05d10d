import { BILLING_OBJECTS, findObject } from '@/lib/custom-events/object-model';
import { seededRandom } from '@/lib/bench/seeded-random';

/** The five billing objects the `changes` suite's triggers and changes are about. */
export const CHANGE_BENCH_OBJECTS = ['Invoice', 'Payment', 'Account', 'Subscription', 'CreditMemo'] as const;

export interface BenchTrigger {
  eventType: string;
  baseObject: string;
  condition: string;
}

export interface BenchChange {
  object: string;
  recordId: string;
  changeType: 'INSERT' | 'UPDATE' | 'DELETE';
  current?: Record<string, string | number>;
  previous?: Record<string, string | number>;
  time: string;
}

interface ObjectShape {
  name: string;
  statuses: readonly string[];
  /** The object's first number (or whole-number) field: the conditions' threshold. */
  amount: string;
  /** A text field that changes without the status. */
  text: string;
  fields: ReadonlySet<string>;
}

function shapeOf(name: string): ObjectShape {
  const object = findObject(BILLING_OBJECTS, name)!;
  const status = object.fields.find((f) => f.name === 'Status');
  const amount = object.fields.find((f) => f.type === 'number' || f.type === 'integer');
  const text = object.fields.find((f) => f.type === 'string' && f.name !== 'Id' && f.name !== 'Status' && !f.picklist);
  if (!status?.picklist || !amount || !text) throw new Error(`generate-changes: ${name} lacks a Status picklist, a number field or a text field`);
  return { name: object.name, statuses: status.picklist, amount: amount.name, text: text.name, fields: new Set(object.fields.map((f) => f.name)) };
}

const SHAPES = CHANGE_BENCH_OBJECTS.map(shapeOf);

/**
 * `count` active triggers spread evenly over the five objects, written the way users write them: a status
 * reached (`changed('Status')` and the new status, above an amount), an INSERT above an amount, a DELETE,
 * a text field changed. Thresholds differ per trigger, so each fires on its own share of the changes.
 */
export function benchTriggers(count: number): BenchTrigger[] {
  return Array.from({ length: count }, (_, i) => {
    const shape = SHAPES[i % SHAPES.length]!;
    const k = Math.floor(i / SHAPES.length);
    const status = shape.statuses[k % shape.statuses.length]!;
    const threshold = 100 * (k % 10);
    const o = shape.name;
    const condition = [
      `changeType == 'UPDATE' && changed('Status') && ${o}.Status == '${status}' && ${o}.Status_old != '${status}' && ${o}.${shape.amount} > ${threshold}`,
      `changeType == 'INSERT' && ${o}.${shape.amount} >= ${threshold * 5}`,
      `changeType == 'DELETE' && ${o}.Status_old == '${status}'`,
      `changeType == 'UPDATE' && changed('${shape.text}') && ${o}.${shape.amount} > ${threshold * 2}`,
    ][k % 4]!;
    return { eventType: `Bench${o}${i}`, baseObject: o, condition };
  });
}

const START = Date.parse('2026-11-01T00:00:00Z');

/**
 * `count` changes over `records` records per object: each record is inserted, then updated (its status
 * moves, its amount or its text changes, or nothing relevant does), and now and then deleted; a record's
 * changes come in order, interleaved with other records'. Each change carries about ten fields, about
 * 400 bytes of JSON.
 */
export function benchChanges(count: number, records = 2_000, seed = 14): BenchChange[] {
  const next = seededRandom(seed);
  const state = new Map<string, Record<string, string | number> | null>();
  const changes: BenchChange[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const shape = SHAPES[i % SHAPES.length]!;
    const recordId = `${shape.name.slice(0, 3).toUpperCase()}-${Math.floor(next() * records)}`;
    const key = `${shape.name}/${recordId}`;
    const time = new Date(START + i * 1000).toISOString();
    const before = state.get(key) ?? null;
    if (!before) {
      const current = {
        Id: recordId,
        Status: shape.statuses[0]!,
        [shape.amount]: Math.floor(next() * 5000),
        [shape.text]: `${shape.name} ${recordId}`,
        AccountId: `ACC-${Math.floor(next() * 10_000)}`,
        Currency: next() < 0.5 ? 'EUR' : 'USD',
        CreatedById: 'bench',
        UpdatedById: 'bench',
        CreatedDate: time,
        UpdatedDate: time,
      };
      state.set(key, current);
      changes[i] = { object: shape.name, recordId, changeType: 'INSERT', current: pick(shape, current), time };
      continue;
    }
    const r = next();
    if (r < 0.03) {
      state.set(key, null);
      changes[i] = { object: shape.name, recordId, changeType: 'DELETE', previous: pick(shape, before), time };
      continue;
    }
    const after: Record<string, string | number> = { ...before, UpdatedDate: time };
    if (r < 0.4) after.Status = shape.statuses[Math.floor(next() * shape.statuses.length)]!;
    else if (r < 0.7) after[shape.amount] = Math.floor(next() * 5000);
    else if (r < 0.85) after[shape.text] = `${shape.name} ${recordId} v${i}`;
    state.set(key, after);
    changes[i] = { object: shape.name, recordId, changeType: 'UPDATE', current: pick(shape, after), previous: pick(shape, before), time };
  }
  return changes;
}

// Only the fields the object has (Currency and the rest are not on every object).
function pick(shape: ObjectShape, values: Record<string, string | number>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) if (shape.fields.has(name)) out[name] = value;
  return out;
}
