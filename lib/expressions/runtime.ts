import { FUNCTIONS } from '@/lib/expressions/functions';
import { BINARY, filterItems, objectOf, own } from '@/lib/expressions/semantics';

const hasOwn = Object.prototype.hasOwnProperty;

/** jexl's Promise.all turns failures under operands, items and arguments into plain Errors. */
const fault = (message: string, wrapped: boolean) => (wrapped ? new Error(`TypeError: ${message}`) : new TypeError(message));

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

function read2(c: unknown, a: string, b: string, wrapped: boolean): unknown {
  const o = ownOf(c, a);
  if (o === undefined || o === null) return undefined;
  if (typeof o === 'object' && !Array.isArray(o)) return ownOf(o, b);
  return member(o, b, wrapped);
}

function member(subject: unknown, name: string, wrapped: boolean): unknown {
  if (subject === undefined || subject === null) return undefined;
  if (Array.isArray(subject)) {
    const first = subject[0];
    if (first === undefined || first === null) throw fault(`Cannot read properties of ${first} (reading '${name}')`, wrapped);
    return ownOf(first, name);
  }
  return ownOf(subject, name);
}

function staticFilter(subject: unknown, key: unknown, wrapped: boolean): unknown {
  if (typeof key === 'boolean') return key ? subject : undefined;
  if (subject === null || subject === undefined) throw fault(`Cannot read properties of ${subject} (reading '${String(key)}')`, wrapped);
  return own(subject, key);
}

/**
 * The helpers generated code calls (as H.…): small monomorphic functions V8 inlines. Property reads go
 * through own(): only a value's own properties, never a prototype, constructor or global.
 */
export const RUNTIME = {
  own: ownOf,
  read2: (c: unknown, a: string, b: string) => read2(c, a, b, false),
  read2W: (c: unknown, a: string, b: string) => read2(c, a, b, true),
  member: (subject: unknown, name: string) => member(subject, name, false),
  memberW: (subject: unknown, name: string) => member(subject, name, true),
  sfilter: (subject: unknown, key: unknown) => staticFilter(subject, key, false),
  sfilterW: (subject: unknown, key: unknown) => staticFilter(subject, key, true),
  rfilter: (subject: unknown, test: (item: unknown) => unknown) => filterItems(subject).filter((item) => test(item)),
  inop: BINARY.in!,
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
    return member(o, field, false) != member(o, old, false);
  },
};
