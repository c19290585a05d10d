import { BILLING_OBJECTS, CHANGE_TYPES, findField, findObject, suggest, type BillingObject, type ObjectField } from '@/lib/custom-events/object-model';
import { unstorableText } from '@/lib/event-store/storable-value';
import { OLD_SUFFIX } from '@/lib/expressions/schema';

/**
 * An object change as the pipeline keeps it (issue 14: the Object Changes API and change capture both produce
 * these): one record of one billing object created, changed or deleted. Framework-free.
 *
 * - INSERT: `current` holds the new record, `previous` is empty.
 * - UPDATE: `current` holds the record now, `previous` what it was (possibly only the changed fields).
 * - DELETE: `current` is empty, `previous` holds the record's last values.
 */
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface ObjectChange {
  /** The billing object's canonical name (`Invoice`). */
  object: string;
  recordId: string;
  changeType: ChangeType;
  /** Field values under the fields' canonical names. */
  current: Record<string, FieldValue>;
  previous: Record<string, FieldValue>;
  /** When the change happened (ISO 8601, UTC). */
  time: string;
}

export type FieldValue = string | number | boolean | null;

/** Why one change as sent cannot be taken: its position in the batch, the field at fault, and what to do. */
export interface ChangeRefusal {
  position: number;
  recordId: string | null;
  field: string;
  reason: string;
}

export type ChangeReading = { ok: true; change: ObjectChange } | { ok: false; refusal: ChangeRefusal };

const MAX_RECORD_ID_LENGTH = 255;
const MAX_TEXT_LENGTH = 10_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Reads one change of a batch (`position` is its 0-based index), checking it against the billing objects
 * (with the workspace's custom fields): the object and each field by name (case-insensitive, answered with
 * the canonical spelling or the closest names), the record id, the change type, the time, each value against
 * its field's type, and which of `current` and `previous` the change type needs. Never throws.
 */
export function readObjectChange(raw: unknown, position: number, objects: readonly BillingObject[] = BILLING_OBJECTS): ChangeReading {
  // Runs for every change received: no closures here (each would be a new function per change).
  if (!isPlainObject(raw)) return refuse(position, null, '', 'Each change must be a JSON object with object, recordId, changeType, current, previous and time.');

  const recordId = typeof raw.recordId === 'number' && Number.isSafeInteger(raw.recordId) ? String(raw.recordId) : raw.recordId;
  if (typeof recordId !== 'string' || recordId.trim() === '') return refuse(position, null, 'recordId', 'Give the record’s id as text (or a whole number).');
  if (recordId.length > MAX_RECORD_ID_LENGTH) return refuse(position, null, 'recordId', `The record id has ${recordId.length} characters; at most ${MAX_RECORD_ID_LENGTH} are allowed.`);
  // PostgreSQL refuses such text: left to it, one change would fail the whole batch.
  const unstorable = unstorableText(recordId);
  if (unstorable) return refuse(position, null, 'recordId', `The record id ${unstorable}`);

  if (typeof raw.object !== 'string' || raw.object.trim() === '') return refuse(position, recordId, 'object', 'Name the billing object that changed, e.g. "Invoice".');
  const object = findObject(objects, raw.object) ?? findObject(objects, raw.object.trim());
  if (!object) return refuse(position, recordId, 'object', `There is no billing object “${raw.object}”.${didYouMean(raw.object, objects.map((o) => o.name))}`);

  const changeType = raw.changeType;
  if (typeof changeType !== 'string' || !(CHANGE_TYPES as readonly string[]).includes(changeType)) {
    return refuse(position, recordId, 'changeType', `changeType must be ${CHANGE_TYPES.map((t) => `"${t}"`).join(', ')}; it is ${JSON.stringify(changeType) ?? 'missing'}.`);
  }

  const time = typeof raw.time === 'string' && DATETIME.test(raw.time) ? new Date(raw.time) : null;
  if (!time || Number.isNaN(time.getTime())) return refuse(position, recordId, 'time', 'Give the time of the change as an ISO 8601 date-time with its zone, e.g. 2026-11-30T09:15:00Z.');

  const current: Record<string, FieldValue> = {};
  const previous: Record<string, FieldValue> = {};
  for (const side of SIDES) {
    const given = raw[side];
    if (given === undefined || given === null) continue;
    if (!isPlainObject(given)) return refuse(position, recordId, side, `${side} must be a JSON object of the ${object.name}’s fields.`);
    const values = side === 'current' ? current : previous;
    for (const name of Object.keys(given)) {
      const field = findField(object, name);
      if (!field) return refuse(position, recordId, `${side}.${name}`, `${object.name} has no field “${name}”.${didYouMean(name, object.fields.map((f) => f.name))}`);
      const value = given[name];
      const problem = valueProblem(field, value);
      if (problem) return refuse(position, recordId, `${side}.${name}`, `${object.name}.${field.name} ${problem}`);
      // -0 is stored as 0 (JSON has no -0): the change kept for the workers (fresh-changes.ts) is the stored one.
      values[field.name] = (value === 0 ? 0 : value) as FieldValue;
    }
  }

  const hasCurrent = hasAny(current);
  const hasPrevious = hasAny(previous);
  if (changeType === 'INSERT' && hasPrevious) return refuse(position, recordId, 'previous', 'An INSERT has no previous values: leave previous out.');
  if (changeType === 'DELETE' && hasCurrent) return refuse(position, recordId, 'current', 'A DELETE has no current values: send the record’s last values as previous.');
  if (changeType === 'DELETE' && !hasPrevious) return refuse(position, recordId, 'previous', 'A DELETE needs the record’s last values in previous, so triggers can tell which record was deleted.');
  if (changeType !== 'DELETE' && !hasCurrent) return refuse(position, recordId, 'current', `An ${changeType} needs the record’s values in current.`);

  return { ok: true, change: { object: object.name, recordId, changeType: changeType as ChangeType, current, previous, time: time.toISOString() } };
}

const SIDES = ['current', 'previous'] as const;

function refuse(position: number, recordId: string | null, field: string, reason: string): ChangeReading {
  return { ok: false, refusal: { position, recordId, field, reason } };
}

function hasAny(values: Record<string, FieldValue>): boolean {
  for (const name in values) if (Object.hasOwn(values, name)) return true;
  return false;
}

function didYouMean(name: string, candidates: readonly string[]): string {
  const hint = suggest(name, candidates);
  return hint.length > 0 ? ` Did you mean ${hint.join(' or ')}?` : '';
}

/** Why `value` cannot be a value of `field`, as the end of a sentence about the field; null when it can. Null clears any field. */
function valueProblem(field: ObjectField, value: unknown): string | null {
  if (value === null) return null;
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return `is text; send it in quotes (it is ${JSON.stringify(value)}).`;
      return value.length > MAX_TEXT_LENGTH ? `has ${value.length} characters; at most ${MAX_TEXT_LENGTH.toLocaleString('en')} are allowed.` : unstorableText(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `is a number; it is ${JSON.stringify(value)}.`;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? null : `is a whole number; it is ${JSON.stringify(value)}.`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `is true or false; it is ${JSON.stringify(value)}.`;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : `is a date written YYYY-MM-DD; it is ${JSON.stringify(value)}.`;
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : `is a date-time in ISO 8601 with its zone (2026-11-30T09:15:00Z); it is ${JSON.stringify(value)}.`;
  }
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The fields an UPDATE changed, in the object's field order: those whose value now differs from the previous
 * one, a missing value counting as null, exactly as `changed('Field')` decides. INSERT and DELETE change no
 * field in that sense (`changed()` is false for them), so their list is empty.
 */
export function changedFields(change: ObjectChange, objects: readonly BillingObject[] = BILLING_OBJECTS): string[] {
  if (change.changeType !== 'UPDATE') return [];
  const object = findObject(objects, change.object);
  const names = object ? object.fields.map((f) => f.name) : Object.keys(change.current);
  return names.filter((name) => name in change.current && (change.current[name] ?? null) !== (change.previous[name] ?? null));
}

/**
 * What a trigger condition sees for a change (docs/trigger-conditions.md): `changeType`, and the base object
 * with every field and its `_old` value. INSERT: the new values, `_old` null. UPDATE: the values now and
 * before. DELETE: the last values, and `_old` the same last values. Related objects are not part of a change,
 * so they read as empty.
 */
export function conditionContext(change: ObjectChange, objects: readonly BillingObject[] = BILLING_OBJECTS): Record<string, unknown> {
  const object = findObject(objects, change.object);
  const kind = change.changeType;
  const now = kind === 'DELETE' ? change.previous : change.current;
  const record = object ? recordMakerOf(object)(now, change.previous, kind === 'INSERT' ? INSERTED : kind === 'DELETE' ? DELETED : UPDATED) : {};
  return { changeType: kind, [object?.name ?? change.object]: record };
}

const INSERTED = 1;
const UPDATED = 2;
const DELETED = 3;

/** Makes the base object's record of a condition context from the values now, the previous ones, and the kind of change. */
type RecordMaker = (now: Record<string, unknown>, previous: Record<string, unknown>, kind: number) => Record<string, unknown>;

const recordMakers = new WeakMap<BillingObject, RecordMaker>();
// Names written into the generated code: a field's name (standard, or custom ending in __c) and its `_old` name.
const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The record maker of an object, made once per object. It runs once per change evaluated (tens of thousands a
 * second), and a record has some 60 properties (every field and its `_old`): added one by one under computed
 * names, they cost ~3 µs a change; an object literal of the object's own fields, compiled once, costs ~0.3 µs.
 * The literal's names are the object model's field names, each checked against PLAIN_NAME and written as JSON
 * strings: nothing of a change's content reaches the code. Should a name not be plain, the maker is the loop.
 */
function recordMakerOf(object: BillingObject): RecordMaker {
  let maker = recordMakers.get(object);
  if (!maker) recordMakers.set(object, (maker = object.fields.every((f) => PLAIN_NAME.test(f.name)) ? compiledRecordMaker(object) : loopRecordMaker(object)));
  return maker;
}

function compiledRecordMaker(object: BillingObject): RecordMaker {
  const properties = object.fields.map((f) => {
    const [name, oldName] = [JSON.stringify(f.name), JSON.stringify(`${f.name}${OLD_SUFFIX}`)];
    return `${name}: n[${name}] ?? null, ${oldName}: k === ${INSERTED} ? null : k === ${DELETED} ? (n[${name}] ?? null) : (p[${name}] ?? null)`;
  });
  return new Function('n', 'p', 'k', `"use strict"; return {\n${properties.join(',\n')}\n};`) as RecordMaker;
}

/** The same record, property by property (also what the compiled maker is tested against). */
export function loopRecordMaker(object: BillingObject): RecordMaker {
  const names = object.fields.map((f) => [f.name, `${f.name}${OLD_SUFFIX}`] as const);
  return (now, previous, kind) => {
    const record: Record<string, unknown> = {};
    for (const [name, oldName] of names) {
      const value = now[name] ?? null;
      record[name] = value;
      record[oldName] = kind === INSERTED ? null : kind === DELETED ? value : (previous[name] ?? null);
    }
    return record;
  };
}
