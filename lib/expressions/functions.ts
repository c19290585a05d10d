import { REGEX_LIMITS, regexFind } from '@/lib/expressions/regex';
import type { ValueType } from '@/lib/expressions/types';

/**
 * The dialect's functions: one table for the compiler, the analyzer (arity and types), the jexl reference
 * and the editor (signatures and docs). Functions never throw on odd input: like jexl's own advice, they
 * return null (or false) when they do not apply, so a condition on a missing field is simply false.
 */
export interface FunctionSpec {
  name: string;
  params: { name: string; type: ValueType; optional?: boolean }[];
  returns: ValueType;
  doc: string;
  impl: (...args: unknown[]) => unknown;
  /** Reads the change itself (changed): compiled specially, not called with plain values. */
  special?: true;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** ISO text or epoch milliseconds → epoch milliseconds, or null. Times without a zone are UTC. */
export function toMillis(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const iso = value.length === 10 ? `${value}T00:00:00Z` : /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

// Beyond ±8.64e15 ms a Date is invalid: null, as for any other value that is not a time.
const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15 ? null : new Date(ms).toISOString());
const DAY = 86_400_000;

export const FUNCTIONS: Record<string, FunctionSpec> = {
  size: {
    name: 'size',
    params: [{ name: 'value', type: 'any' }],
    returns: 'integer',
    doc: 'Number of characters of a text, or of items in a list; 0 when empty or missing.',
    impl: (v) => (typeof v === 'string' || Array.isArray(v) ? v.length : 0),
  },
  lower: { name: 'lower', params: [{ name: 'text', type: 'string' }], returns: 'string', doc: 'The text in lower case.', impl: (v) => text(v)?.toLowerCase() ?? null },
  upper: { name: 'upper', params: [{ name: 'text', type: 'string' }], returns: 'string', doc: 'The text in upper case.', impl: (v) => text(v)?.toUpperCase() ?? null },
  trim: { name: 'trim', params: [{ name: 'text', type: 'string' }], returns: 'string', doc: 'The text without leading and trailing spaces.', impl: (v) => text(v)?.trim() ?? null },
  contains: {
    name: 'contains',
    params: [{ name: 'value', type: 'any' }, { name: 'part', type: 'any' }],
    returns: 'boolean',
    doc: 'Whether a text contains another text, or a list contains an item.',
    impl: (v, part) => (typeof v === 'string' ? text(part) !== null && v.includes(text(part)!) : Array.isArray(v) ? v.includes(part) : false),
  },
  startsWith: {
    name: 'startsWith',
    params: [{ name: 'text', type: 'string' }, { name: 'prefix', type: 'string' }],
    returns: 'boolean',
    doc: 'Whether the text starts with the prefix.',
    impl: (v, p) => text(v) !== null && text(p) !== null && text(v)!.startsWith(text(p)!),
  },
  endsWith: {
    name: 'endsWith',
    params: [{ name: 'text', type: 'string' }, { name: 'suffix', type: 'string' }],
    returns: 'boolean',
    doc: 'Whether the text ends with the suffix.',
    impl: (v, p) => text(v) !== null && text(p) !== null && text(v)!.endsWith(text(p)!),
  },
  matches: {
    name: 'matches',
    params: [{ name: 'text', type: 'string' }, { name: 'pattern', type: 'string' }],
    returns: 'boolean',
    doc: `Whether the text contains a match of a regular expression (RE2 syntax: always fast, no back-references). Patterns of up to ${REGEX_LIMITS.patternLength} characters that compile to at most ${REGEX_LIMITS.programSize} steps; a text longer than ${REGEX_LIMITS.textLength.toLocaleString('en-US')} characters, or a pattern from the data past these limits, gives false.`,
    impl: (v, p) => {
      const value = text(v);
      return value !== null && typeof p === 'string' && regexFind(value, p);
    },
  },
  isEmpty: {
    name: 'isEmpty',
    params: [{ name: 'value', type: 'any' }],
    returns: 'boolean',
    doc: 'True for a missing value, an empty or blank text, or an empty list.',
    impl: (v) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0),
  },
  isNull: { name: 'isNull', params: [{ name: 'value', type: 'any' }], returns: 'boolean', doc: 'True when the value is missing (null).', impl: (v) => v === null || v === undefined },
  number: {
    name: 'number',
    params: [{ name: 'value', type: 'any' }],
    returns: 'number',
    doc: 'The value as a number (text such as "12.5" included); null when it is not one.',
    impl: (v) => {
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return null;
    },
  },
  string: { name: 'string', params: [{ name: 'value', type: 'any' }], returns: 'string', doc: 'The value as text; null stays null.', impl: (v) => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)) },
  now: { name: 'now', params: [], returns: 'datetime', doc: 'The current date and time (UTC), as ISO 8601 text.', impl: () => new Date().toISOString() },
  date: { name: 'date', params: [{ name: 'text', type: 'string' }], returns: 'datetime', doc: 'Reads a date or date-time text (ISO 8601; no zone means UTC) into ISO 8601 date-time text; null when it is not one.', impl: (v) => iso(toMillis(v)) },
  daysBetween: {
    name: 'daysBetween',
    params: [{ name: 'from', type: 'datetime' }, { name: 'to', type: 'datetime' }],
    returns: 'integer',
    doc: 'Whole days from the first date to the second (negative when the second is earlier).',
    impl: (a, b) => {
      const from = toMillis(a);
      const to = toMillis(b);
      return from === null || to === null ? null : Math.trunc((to - from) / DAY);
    },
  },
  addDays: {
    name: 'addDays',
    params: [{ name: 'date', type: 'datetime' }, { name: 'days', type: 'number' }],
    returns: 'datetime',
    doc: 'The date plus a number of days (minus for earlier), as ISO 8601 date-time text.',
    impl: (d, n) => {
      const ms = toMillis(d);
      return ms === null || typeof n !== 'number' || !Number.isFinite(n) ? null : iso(ms + n * DAY);
    },
  },
  startOfMonth: {
    name: 'startOfMonth',
    params: [{ name: 'date', type: 'datetime' }],
    returns: 'datetime',
    doc: 'Midnight UTC on the first day of the date’s month.',
    impl: (d) => {
      const ms = toMillis(d);
      if (ms === null) return null;
      const t = new Date(ms);
      return iso(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
    },
  },
  changed: {
    name: 'changed',
    params: [{ name: 'field', type: 'string' }],
    returns: 'boolean',
    doc: 'True on an UPDATE when the base object’s field differs from its previous value: changed(\'Status\').',
    impl: () => false,
    special: true,
  },
};

export const FUNCTION_NAMES = Object.keys(FUNCTIONS);

/** Looks a function up by name; exact spelling first, then case-insensitively. */
export function findFunction(name: string): FunctionSpec | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : FUNCTION_NAMES.map((n) => FUNCTIONS[n]!).find((f) => f.name.toLowerCase() === name.toLowerCase());
}
