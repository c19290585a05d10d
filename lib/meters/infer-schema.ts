import {
  FIELD_NAME_PATTERN,
  MAX_FIELD_NAME,
  MAX_FIELDS,
  RESERVED_FIELD_NAMES,
  type FieldType,
} from '@/lib/event-definitions/definition-schema';
import { storedTimeText } from '@/lib/event-store/record-validation';
import type { FlowField, FlowRecord } from '@/lib/meters/flow-schema';

/**
 * A file's schema guessed from its first records (a File upload source), and those records read under the
 * schema's field names once the user has edited it. Pure, so the browser infers without a round trip and tests need no DOM.
 */

/** An inferred field and the file's column (or JSON key) it reads; the name may differ (`unit price` → `unit_price`). */
export interface InferredField extends FlowField {
  column: string;
}

const INTEGER_TEXT = /^-?(?:0|[1-9]\d*)$/;
const NUMBER_TEXT = /^-?(?:(?:0|[1-9]\d*)(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// A date, optionally with a time: text like "12" or "March" is not taken for a time even where Date would read it.
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The type one value suggests, or null for "no value" (null, or an empty CSV cell). */
export function typeOfValue(value: unknown, textual: boolean): FieldType | null {
  if (value === null || value === undefined) return null;
  if (textual) {
    const text = String(value).trim();
    if (text === '') return null;
    if (INTEGER_TEXT.test(text)) return Number.isSafeInteger(Number(text)) ? 'integer' : 'string';
    if (NUMBER_TEXT.test(text) && Number.isFinite(Number(text))) return 'number';
    if (/^(?:true|false)$/i.test(text)) return 'boolean';
    return isTimeText(text) ? 'datetime' : 'string';
  }
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isSafeInteger(value) ? 'integer' : 'number';
    case 'string':
      return isTimeText(value.trim()) ? 'datetime' : 'string';
    default:
      return 'json';
  }
}

const isTimeText = (text: string) => TIME_TEXT.test(text) && storedTimeText(text) !== undefined;

/** The one type that holds values of both types: whole numbers widen to numbers, times to text, the rest to text (CSV) or JSON. */
export function widenType(a: FieldType, b: FieldType, textual: boolean): FieldType {
  if (a === b) return a;
  const both = new Set([a, b]);
  if (both.has('integer') && both.has('number')) return 'number';
  if (both.has('string') && both.has('datetime')) return 'string';
  return textual ? 'string' : 'json';
}

/**
 * A field name the expression language and event definitions accept, from a column's name: other characters
 * become "_", a leading digit gets a "_" before it, and `taken` (lower-cased names already used) makes it unique.
 */
export function fieldNameOf(column: string, taken: ReadonlySet<string>, position: number): string {
  let name = column.trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+(?=[A-Za-z])|_+$/g, '');
  if (/^\d/.test(name)) name = `_${name}`;
  if (!FIELD_NAME_PATTERN.test(name)) name = `field_${position + 1}`;
  if (RESERVED_FIELD_NAMES.has(name)) name = `${name}_field`;
  name = name.slice(0, MAX_FIELD_NAME);
  let unique = name;
  for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${name.slice(0, MAX_FIELD_NAME - String(n).length - 1)}_${n}`;
  return unique;
}

/**
 * The fields of `rows` in order of first appearance (at most MAX_FIELDS): each typed by the widest type its
 * values need, required when every row has a value. `textual` rows (CSV) hold text that is read as numbers,
 * booleans and times where every value allows it.
 */
export function inferFields(rows: readonly Record<string, unknown>[], textual: boolean): InferredField[] {
  const types = new Map<string, FieldType | null>();
  const present = new Map<string, number>();
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) {
      if (!types.has(column)) {
        if (types.size >= MAX_FIELDS) continue;
        types.set(column, null);
        present.set(column, 0);
      }
      const type = typeOfValue(value, textual);
      if (type === null) continue;
      present.set(column, present.get(column)! + 1);
      const known = types.get(column);
      types.set(column, known ? widenType(known, type, textual) : type);
    }
  }
  const taken = new Set<string>();
  return [...types].map(([column, type], position) => {
    const name = fieldNameOf(column, taken, position);
    taken.add(name.toLowerCase());
    return { column, name, type: type ?? 'string', required: rows.length > 0 && present.get(column) === rows.length };
  });
}

/**
 * The sampled rows as the source reads them: each field's value taken from its column under its (possibly
 * renamed) field name, removed fields left out. Values stay as the file had them (CSV text included): the
 * source's own processor (kinds/conform-records) converts them by the edited types in the preview, and
 * rejects the rows that do not fit, as runs will.
 */
export function projectRows(rows: readonly Record<string, unknown>[], fields: readonly InferredField[]): FlowRecord[] {
  return rows.map((row) => {
    const record: FlowRecord = {};
    for (const field of fields) if (Object.hasOwn(row, field.column)) record[field.name] = row[field.column];
    return record;
  });
}
