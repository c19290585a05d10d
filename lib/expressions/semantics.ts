/**
 * Runtime semantics shared by the compiler and the explainer, equal to jexl 2.3's evaluator except
 * where jexl is unsafe or fails on data: property access reads only a value's own properties, so no
 * expression can reach `constructor`, `__proto__`, `prototype`, methods or globals, by dot or by bracket;
 * and a read from a missing value (or an empty list) is undefined where jexl throws TypeError.
 */

/** Own-property read; anything inherited (constructor, __proto__, toString…) reads as undefined. */
export function own(value: unknown, key: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type !== 'object' && type !== 'string') return undefined;
  const name = typeof key === 'number' ? key : propertyKey(key);
  return Object.prototype.hasOwnProperty.call(value, name) ? (value as Record<string | number, unknown>)[name] : undefined;
}

/**
 * The primitive JavaScript makes of a value, as if the value's own keys named `toString` or `valueOf` were
 * data, which in JSON they are: a list joins its items, any other object is '[object Object]'. JavaScript
 * itself fails on `{"toString": 1} + 1` ("Cannot convert object to primitive value"), and so does jexl.
 */
export function ordinary(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => (item === null || item === undefined ? '' : String(ordinary(item)))).join(',');
  return '[object Object]';
}

/** A value used as a property name, as JavaScript converts it, or as `ordinary` does where JavaScript fails. */
function propertyKey(key: unknown): string {
  try {
    return String(key);
  } catch {
    return String(ordinary(key));
  }
}

/** A binary operator that, where JavaScript fails to convert an operand, applies to `ordinary` operands instead. */
export function guarded(operator: (a: unknown, b: unknown) => unknown): (a: unknown, b: unknown) => unknown {
  return (a, b) => {
    try {
      return operator(a, b);
    } catch {
      return operator(ordinary(a), ordinary(b));
    }
  };
}

/** The items a relative filter is applied to: a non-list is a list of itself; undefined is empty. */
export function filterItems(subject: unknown): unknown[] {
  return Array.isArray(subject) ? subject : subject === undefined ? [] : [subject];
}

/** jexl's binary operators, exactly (loose equality included). && and || short-circuit in the callers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- jexl's operators apply JavaScript's own semantics to any values
export const BINARY: Record<string, (a: any, b: any) => unknown> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '//': (a, b) => Math.floor(a / b),
  '%': (a, b) => a % b,
  '^': (a, b) => Math.pow(a, b),
  '==': (a, b) => a == b,
  '!=': (a, b) => a != b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  in: (a, b) => (typeof b === 'string' ? b.indexOf(a) !== -1 : Array.isArray(b) ? b.some((e) => e === a) : false),
};

/** An object literal's value with keys as plain own data properties (a key "__proto__" stays a key). */
export function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}
