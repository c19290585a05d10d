import { FUNCTIONS } from '@/lib/expressions/functions';
import { BINARY, filterItems, guarded, objectOf, own } from '@/lib/expressions/semantics';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * own() with a fast path: a read that yields a primitive (text, number, yes/no, null) is returned at once,
 * since prototypes hold only functions and objects; a function or object is returned only when it is the
 * value's own property. So `constructor`, `__proto__` and methods still read as undefined.
 */
function ownOf(value: unknown, name: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    const v = (value as Record<string, unknown>)[name as string];
    if (v === undefined) return undefined;
    const type = typeof v;
    if (type !== 'object' && type !== 'function') return v;
    return hasOwn.call(value, name as string) ? v : undefined;
  }
  return own(value, name);
}

/** `a.b` straight off the context, the most common read, in one call. */
function read2(c: unknown, a: string, b: string): unknown {
  const o = ownOf(c, a);
  if (o === undefined || o === null) return undefined;
  if (typeof o === 'object' && !Array.isArray(o)) return ownOf(o, b);
  return member(o, b);
}

/**
 * `subject.name`. On a list it reads the first item's field, as jexl does; where jexl fails (a missing
 * subject is fine in jexl, but an empty list or a missing first item throws TypeError) this reads as
 * undefined: missing data is empty, never an error.
 */
function member(subject: unknown, name: string): unknown {
  if (subject === undefined || subject === null) return undefined;
  return ownOf(Array.isArray(subject) ? subject[0] : subject, name);
}

/**
 * `subject[key]` with a key that does not read the item: `[true]`/`[false]` keep or drop the subject, as
 * in jexl; anything else is an own-property read, undefined on a missing subject (jexl throws TypeError).
 */
function staticFilter(subject: unknown, key: unknown): unknown {
  if (typeof key === 'boolean') return key ? subject : undefined;
  return own(subject, key);
}

const GUARDED_BINARY = Object.fromEntries(Object.entries(BINARY).map(([operator, apply]) => [operator, guarded(apply)]));

/**
 * The helpers generated code calls (as H.…): small monomorphic functions V8 inlines. Property reads go
 * through own(): only a value's own properties, never a prototype, constructor or global. None of them
 * throws, whatever the shape of the data.
 */
export const RUNTIME = {
  own: ownOf,
  read2,
  member,
  sfilter: staticFilter,
  rfilter: (subject: unknown, test: (item: unknown) => unknown) => filterItems(subject).filter((item) => test(item)),
  inop: BINARY.in!,
  /** Operators of the guarded variant (see compile.ts), which runs only after the plain one met an odd object. */
  op: (operator: string, a: unknown, b: unknown) => GUARDED_BINARY[operator]!(a, b),
  obj: (flat: unknown[]) => {
    const entries: [string, unknown][] = [];
    for (let i = 0; i < flat.length; i += 2) entries.push([flat[i] as string, flat[i + 1]]);
    return objectOf(entries);
  },
  fn: Object.values(FUNCTIONS).map((spec) => spec.impl),
  fail: (message: string) => {
    throw new Error(message);
  },
  changed: (c: unknown, object: string, field: string, old: string) => {
    if (ownOf(c, 'changeType') !== 'UPDATE') return false;
    const o = ownOf(c, object);
    // jexl's != is loose, and changed() means exactly "Field != Field_old".
    return member(o, field) != member(o, old);
  },
};
