import { MAX_EVENT_DEPTH, MAX_EVENT_VALUES } from '@/lib/event-store/event-limits';

/** Values an event may still hold; shared by all of one event's fields so the limit is per event. */
export interface ValueBudget {
  left: number;
}

// Half of a UTF-16 surrogate pair on its own: JavaScript keeps it, PostgreSQL's text and jsonb refuse it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// A NUL or any surrogate: only text holding one needs the exact checks below (most text holds neither).
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

const UNSTORABLE_CHARS = new RegExp(`\u0000|${LONE_SURROGATE.source}`, 'g');

/**
 * The text with what PostgreSQL refuses (NUL, unpaired surrogates) replaced by U+FFFD: for copies kept to
 * show a problem (a run's record errors), where refusing would lose the report of the problem itself.
 */
export const storableText = (text: string) => text.replace(UNSTORABLE_CHARS, '\uFFFD');

/** JSON text of `value` whose strings and keys are storableText: jsonb takes it whatever `value` holds. */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string') return storableText(item);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item).map(([k, v]) => [storableText(k), v]));
  });
}

/** Why a text cannot be stored (to follow the field's name in a message), or null. */
export function unstorableText(text: string): string | null {
  if (!MAYBE_UNSTORABLE.test(text)) return null;
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored; remove it.';
  if (LONE_SURROGATE.test(text)) return 'contains a broken Unicode character (an unpaired surrogate); fix the text encoding.';
  return null;
}

const TOO_LARGE = 'holds a number too large to store (beyond ±1.8e308); send it as text.';

/**
 * Why a field's value cannot be stored, or null when PostgreSQL will take it and it reads back equal: a
 * NUL or broken Unicode in any text or key, a number JSON cannot carry (1e400 parses as Infinity and would
 * be stored as null), nesting past MAX_EVENT_DEPTH, more values than the budget. `level` is how many
 * containers enclose the value (1 for a field of the event). Iterative with an explicit stack, and it stops
 * at the depth limit, so no input can overflow the call stack; each value is visited once and the budget
 * bounds the visits.
 */
export function unstorableValue(value: unknown, level: number, budget: ValueBudget): string | null {
  // Most fields are one text, number or boolean: no stack for those.
  if (typeof value === 'string') return unstorableText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? null : TOO_LARGE;
  if (value === null || typeof value !== 'object') return null;
  const stack: [unknown, number][] = [[value, level]];
  while (stack.length) {
    const [item, at] = stack.pop()!;
    if (typeof item === 'string') {
      const problem = unstorableText(item);
      if (problem) return problem;
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return TOO_LARGE;
    } else if (item !== null && typeof item === 'object') {
      if (at + 1 > MAX_EVENT_DEPTH) return `nests more than ${MAX_EVENT_DEPTH} levels deep (the event counts as one; the limit is ${MAX_EVENT_DEPTH}); flatten it.`;
      const children = Array.isArray(item) ? item : Object.values(item);
      budget.left -= children.length;
      if (budget.left < 0) return `makes the event hold more than ${MAX_EVENT_VALUES.toLocaleString('en')} values (every field, key and list item counts); split it.`;
      if (!Array.isArray(item)) {
        for (const key of Object.keys(item)) {
          const problem = unstorableText(key);
          if (problem) return problem;
        }
      }
      for (const child of children) stack.push([child, at + 1]);
    }
  }
  return null;
}
