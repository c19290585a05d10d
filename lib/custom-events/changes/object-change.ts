import { BILLING_OBJECTS, CHANGE_TYPES, findField, findObject, suggest, type BillingObject, type ObjectField } from '@/lib/custom-events/object-model';
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
  const refuse = (field: string, reason: string, recordId: string | null = null): ChangeReading => ({ ok: false, refusal: { position, recordId, field, reason } });
  if (!isPlainObject(raw)) return refuse('', 'Each change must be a JSON object with object, recordId, changeType, current, previous and time.');

  const recordId = typeof raw.recordId === 'number' && Number.isSafeInteger(raw.recordId) ? String(raw.recordId) : raw.recordId;
  if (typeof recordId !== 'string' || recordId.trim() === '') return refuse('recordId', 'Give the record’s id as text (or a whole number).');
  if (recordId.length > MAX_RECORD_ID_LENGTH) return refuse('recordId', `The record id has ${recordId.length} characters; at most ${MAX_RECORD_ID_LENGTH} are allowed.`);
  const refuseRecord = (field: string, reason: string) => refuse(field, reason, recordId);

  if (typeof raw.object !== 'string' || raw.object.trim() === '') return refuseRecord('object', 'Name the billing object that changed, e.g. "Invoice".');
  const object = findObject(objects, raw.object.trim());
  if (!object) return refuseRecord('object', `There is no billing object “${raw.object}”.${didYouMean(raw.object, objects.map((o) => o.name))}`);

  const changeType = raw.changeType;
  if (typeof changeType !== 'string' || !(CHANGE_TYPES as readonly string[]).includes(changeType)) {
    return refuseRecord('changeType', `changeType must be ${CHANGE_TYPES.map((t) => `"${t}"`).join(', ')}; it is ${JSON.stringify(changeType) ?? 'missing'}.`);
  }

  const time = typeof raw.time === 'string' && DATETIME.test(raw.time) ? new Date(raw.time) : null;
  if (!time || Number.isNaN(time.getTime())) return refuseRecord('time', 'Give the time of the change as an ISO 8601 date-time with its zone, e.g. 2026-11-30T09:15:00Z.');

  const values: Record<'current' | 'previous', Record<string, FieldValue>> = { current: {}, previous: {} };
  for (const side of ['current', 'previous'] as const) {
    const given = raw[side];
    if (given === undefined || given === null) continue;
    if (!isPlainObject(given)) return refuseRecord(side, `${side} must be a JSON object of the ${object.name}’s fields.`);
    for (const [name, value] of Object.entries(given)) {
      const field = findField(object, name);
      if (!field) return refuseRecord(`${side}.${name}`, `${object.name} has no field “${name}”.${didYouMean(name, object.fields.map((f) => f.name))}`);
      const problem = valueProblem(field, value);
      if (problem) return refuseRecord(`${side}.${name}`, `${object.name}.${field.name} ${problem}`);
      values[side][field.name] = value as FieldValue;
    }
  }

  const has = (side: 'current' | 'previous') => Object.keys(values[side]).length > 0;
  if (changeType === 'INSERT' && has('previous')) return refuseRecord('previous', 'An INSERT has no previous values: leave previous out.');
  if (changeType === 'DELETE' && has('current')) return refuseRecord('current', 'A DELETE has no current values: send the record’s last values as previous.');
  if (changeType === 'DELETE' && !has('previous')) return refuseRecord('previous', 'A DELETE needs the record’s last values in previous, so triggers can tell which record was deleted.');
  if (changeType !== 'DELETE' && !has('current')) return refuseRecord('current', `An ${changeType} needs the record’s values in current.`);

  return {
    ok: true,
    change: { object: object.name, recordId, changeType: changeType as ChangeType, current: values.current, previous: values.previous, time: time.toISOString() },
  };
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
      return value.length > MAX_TEXT_LENGTH ? `has ${value.length} characters; at most ${MAX_TEXT_LENGTH.toLocaleString('en')} are allowed.` : null;
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
  const now = change.changeType === 'DELETE' ? change.previous : change.current;
  const record: Record<string, unknown> = {};
  // Runs once per change evaluated (tens of thousands a second): the `_old` names are made once per object.
  for (const [name, oldName] of object ? contextNames(object) : []) {
    const value = now[name] ?? null;
    record[name] = value;
    record[oldName] = change.changeType === 'INSERT' ? null : change.changeType === 'DELETE' ? value : (change.previous[name] ?? null);
  }
  return { changeType: change.changeType, [object?.name ?? change.object]: record };
}

const namesOfObject = new WeakMap<BillingObject, readonly (readonly [string, string])[]>();
function contextNames(object: BillingObject): readonly (readonly [string, string])[] {
  let names = namesOfObject.get(object);
  if (!names) namesOfObject.set(object, (names = object.fields.map((f) => [f.name, `${f.name}${OLD_SUFFIX}`] as const)));
  return names;
}
