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
  const name = typeof key === 'number' ? key : String(key);
  return Object.prototype.hasOwnProperty.call(value, name) ? (value as Record<string | number, unknown>)[name] : undefined;
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
