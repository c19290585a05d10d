import type { ValueType } from '@/lib/expressions/types';

/** A field the expression can read. */
export interface SchemaField {
  name: string;
  type: string;
  description?: string;
  picklist?: readonly string[];
  custom?: boolean;
}

export interface SchemaObject {
  name: string;
  description?: string;
  fields: readonly SchemaField[];
}

/** Meter processors: the fields of the upstream event, read by name (`units`, `customerId`). */
export interface EventSchema {
  kind: 'event';
  fields: readonly SchemaField[];
}

/**
 * Trigger conditions: `changeType`, the objects as `Invoice.Status`, and the base object's previous
 * values as `Invoice.Status_old`.
 */
export interface ObjectChangeSchema {
  kind: 'objectChange';
  baseObject: string;
  objects: readonly SchemaObject[];
}

export type ExpressionSchema = EventSchema | ObjectChangeSchema;

export const CHANGE_TYPE_VALUES = ['INSERT', 'UPDATE', 'DELETE'] as const;
export const OLD_SUFFIX = '_old';

const FIELD_TYPES: Record<string, ValueType> = { string: 'string', number: 'number', integer: 'integer', boolean: 'boolean', date: 'date', datetime: 'datetime', json: 'any' };
export const valueTypeOf = (field: SchemaField): ValueType => FIELD_TYPES[field.type] ?? 'any';

/** What a path of identifiers (`Invoice.Status_old`) names, with its canonical spelling. */
export type Resolution =
  | { kind: 'changeType'; canonical: 'changeType'; type: 'string'; picklist: readonly string[] }
  | { kind: 'object'; canonical: string; object: SchemaObject; base: boolean }
  | { kind: 'field'; canonical: string; field: SchemaField; type: ValueType; object?: SchemaObject; old: boolean }
  | { kind: 'unknownObject'; name: string; candidates: string[] }
  | { kind: 'unknownField'; name: string; object?: SchemaObject; candidates: string[] }
  | { kind: 'oldOnRelated'; object: SchemaObject; field: SchemaField; base: string }
  | { kind: 'nested'; type: 'any' };

const lowerIndex = new WeakMap<object, Map<string, unknown>>();
function byLowerName<T extends { name: string }>(list: readonly T[]): Map<string, T> {
  let index = lowerIndex.get(list) as Map<string, T> | undefined;
  if (!index) {
    index = new Map(list.map((item) => [item.name.toLowerCase(), item]));
    lowerIndex.set(list, index);
  }
  return index;
}

export const findSchemaObject = (schema: ObjectChangeSchema, name: string) => byLowerName(schema.objects).get(name.toLowerCase());
export const findSchemaField = (fields: readonly SchemaField[], name: string) => byLowerName(fields).get(name.toLowerCase());
export const baseObjectOf = (schema: ObjectChangeSchema) => findSchemaObject(schema, schema.baseObject);

/** Resolves the first one or two names of an identifier chain against the schema, case-insensitively. */
export function resolvePath(schema: ExpressionSchema, path: string[]): Resolution {
  const [first, second] = path as [string, string | undefined];
  if (schema.kind === 'event') {
    const field = findSchemaField(schema.fields, first);
    if (!field) return { kind: 'unknownField', name: first, candidates: schema.fields.map((f) => f.name) };
    if (path.length === 1) return { kind: 'field', canonical: field.name, field, type: valueTypeOf(field), old: false };
    return { kind: 'nested', type: 'any' };
  }
  if (first.toLowerCase() === 'changetype') return { kind: 'changeType', canonical: 'changeType', type: 'string', picklist: CHANGE_TYPE_VALUES };
  const object = findSchemaObject(schema, first);
  if (!object) return { kind: 'unknownObject', name: first, candidates: ['changeType', ...schema.objects.map((o) => o.name)] };
  const base = object.name.toLowerCase() === schema.baseObject.toLowerCase();
  if (second === undefined) return { kind: 'object', canonical: object.name, object, base };
  if (path.length > 2) return { kind: 'nested', type: 'any' };
  const field = findSchemaField(object.fields, second);
  if (field) return { kind: 'field', canonical: field.name, field, type: valueTypeOf(field), object, old: false };
  if (second.toLowerCase().endsWith(OLD_SUFFIX)) {
    const current = findSchemaField(object.fields, second.slice(0, -OLD_SUFFIX.length));
    if (current) {
      if (!base) return { kind: 'oldOnRelated', object, field: current, base: schema.baseObject };
      return { kind: 'field', canonical: `${current.name}${OLD_SUFFIX}`, field: current, type: valueTypeOf(current), object, old: true };
    }
  }
  return {
    kind: 'unknownField',
    name: second,
    object,
    candidates: [...object.fields.map((f) => f.name), ...(base ? object.fields.map((f) => `${f.name}${OLD_SUFFIX}`) : [])],
  };
}
