import type { DefinitionField } from '@/lib/event-definitions/list-definitions';
import { EVENT_TIME_RANGE_TEXT, isEventTimeInRange, MAX_EVENT_ID_LENGTH, MAX_EVENT_VALUES } from '@/lib/event-store/event-limits';
import { unstorableValue } from '@/lib/event-store/storable-value';

/** A record that passed: what the data plane stores. */
export interface ValidEvent {
  eventId: string;
  eventTime: Date;
  payload: Record<string, unknown>;
}

/** Why one record was refused: its position in the input, the field, and what to do. */
export interface Rejection {
  /** 0-based index in a JSON array; 1-based line in NDJSON and CSV (the header is line 1). */
  position: number;
  field: string | null;
  reason: string;
}

export interface DefinitionShape {
  name: string;
  fields: DefinitionField[];
  eventIdField: string;
  eventTimeField: string;
}

/**
 * Checks records against a definition and normalizes them (numbers as numbers, datetimes as UTC ISO
 * strings). Built once per definition so the per-record work is a loop over a precomputed field list.
 * `textual` records (CSV) carry every value as a string and are converted by type; JSON records must
 * already have the right JSON types. Whatever PostgreSQL would refuse, and whatever is past a limit of
 * `event-limits.ts`, is rejected here as that record, so a batch of valid events never fails in the database.
 * Never throws and never recurses, whatever the record's shape or depth.
 */
export function makeRecordValidator(definition: DefinitionShape, options: { textual: boolean }) {
  const check = makePayloadValidator(definition, options);
  return (record: unknown, position: number): ValidEvent | Rejection => {
    const valid = check(record, position);
    if (isRejection(valid)) return valid;
    return { eventId: valid.eventId, eventTime: new Date(valid.payload[definition.eventTimeField] as string), payload: valid.payload };
  };
}

/** What makePayloadValidator makes of a record that passed: the payload to store, and its event id. */
export interface ValidPayload {
  eventId: string;
  payload: Record<string, unknown>;
}

/**
 * makeRecordValidator's checks without the Date of the event time, for callers that only pass the payload on
 * (a meter's mapping into a target, per record of a run).
 */
export function makePayloadValidator(definition: DefinitionShape, options: { textual: boolean }) {
  const byName = new Map(definition.fields.map((f) => [f.name, f]));
  const convert = options.textual ? convertText : convertJson;

  return (record: unknown, position: number): ValidPayload | Rejection => {
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      return { position, field: null, reason: 'Each event must be a JSON object of field names to values.' };
    }
    // Definitions never name a field __proto__ or constructor (definition-schema refuses them), so a
    // plain object is safe to fill; requiredness is still read with hasOwn, never through the prototype.
    const payload: Record<string, unknown> = {};
    const names = Object.keys(record);
    const budget = { left: MAX_EVENT_VALUES - names.length };
    for (const name of names) {
      const raw = (record as Record<string, unknown>)[name];
      const field = byName.get(name);
      if (!field) return { position, field: name, reason: `“${name}” is not a field of ${definition.name}. Remove it or add it to the definition.` };
      if (raw === null || raw === undefined || (options.textual && raw === '')) continue;
      const converted = convert(field, raw);
      if (converted instanceof Refusal) return { position, field: name, reason: converted.reason };
      const unstorable = unstorableValue(converted, 1, budget);
      if (unstorable) return { position, field: name, reason: `“${name}” ${unstorable}` };
      payload[name] = converted;
    }
    for (const field of definition.fields) {
      if (field.required && !Object.hasOwn(payload, field.name)) {
        return { position, field: field.name, reason: `Required field “${field.name}” is missing.` };
      }
    }
    const eventId = String(payload[definition.eventIdField]);
    if (eventId.length > MAX_EVENT_ID_LENGTH) {
      return { position, field: definition.eventIdField, reason: `The event id is ${eventId.length.toLocaleString('en')} characters long; the limit is ${MAX_EVENT_ID_LENGTH}.` };
    }
    return { eventId, payload };
  };
}

export function isRejection<T extends object>(result: T | Rejection): result is Rejection {
  return 'reason' in result;
}

class Refusal {
  constructor(readonly reason: string) {}
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Epoch milliseconds from 1973-03-03 (1e11: anything smaller is almost surely seconds or a compact
// date like 20260131, and would silently land in 1970) to 2100.
const MIN_EPOCH_MS = 100_000_000_000;
const MAX_EPOCH_MS = 4_102_444_800_000;

function convertJson(field: DefinitionField, value: unknown): unknown {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? value : new Refusal(`“${field.name}” must be a string, got ${describe(value)}.`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : new Refusal(`“${field.name}” must be a number, got ${describe(value)}.`);
    case 'integer':
      return Number.isSafeInteger(value) ? value : new Refusal(`“${field.name}” must be a whole number, got ${describe(value)}.`);
    case 'boolean':
      return typeof value === 'boolean' ? value : new Refusal(`“${field.name}” must be true or false, got ${describe(value)}.`);
    case 'datetime':
      return toIsoTime(field, value);
    case 'json':
      return value;
  }
}

function convertText(field: DefinitionField, value: unknown): unknown {
  const text = String(value);
  switch (field.type) {
    case 'string':
      return text;
    case 'number':
      return NUMBER_TEXT.test(text.trim()) && Number.isFinite(Number(text))
        ? Number(text)
        : new Refusal(`“${field.name}” must be a finite number, got “${clip(text)}”.`);
    case 'integer':
      return INTEGER_TEXT.test(text.trim()) && Number.isSafeInteger(Number(text))
        ? Number(text)
        : new Refusal(`“${field.name}” must be a whole number, got “${clip(text)}”.`);
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      return new Refusal(`“${field.name}” must be true or false, got “${clip(text)}”.`);
    }
    case 'datetime':
      return toIsoTime(field, INTEGER_TEXT.test(text.trim()) ? Number(text) : text.trim());
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return new Refusal(`“${field.name}” must hold JSON, got “${clip(text)}”.`);
      }
  }
}

/** A datetime as text (a filter, a CSV cell) in the form events store it, or undefined when it is not one. */
export function storedTimeText(text: string): string | undefined {
  const time = readTimeText(text, 'time');
  return time instanceof Date ? time.toISOString() : undefined;
}

/**
 * A time given as text (ISO 8601, no zone = UTC, or epoch milliseconds) by the same rules as an event's
 * time, range included; or, when it is not one, why (the message starts with `“<name>”`).
 */
export function readTimeText(text: string, name: string): Date | string {
  const field: DefinitionField = { name, type: 'datetime', required: false, description: '' };
  const iso = toIsoTime(field, INTEGER_TEXT.test(text.trim()) ? Number(text) : text.trim());
  return iso instanceof Refusal ? iso.reason : new Date(iso);
}

// The form events store times in (toISOString's, years 1900–9999): the common case, checked cheaply first.
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ISO 8601 text or epoch milliseconds → a UTC ISO string. */
function toIsoTime(field: DefinitionField, value: unknown): string | Refusal {
  if (typeof value === 'string' && value.length === 24 && STORED_TIME.test(value) && isRealStoredTime(value)) return value;
  let ms = Number.NaN;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (value >= 0 && value < MIN_EPOCH_MS) {
      return new Refusal(`“${field.name}” is ${value}, which reads as epoch milliseconds in ${new Date(value).getUTCFullYear()}; if it is seconds, multiply by 1,000, or send an ISO 8601 time (2026-01-31T12:00:00Z).`);
    }
    if (value >= MIN_EPOCH_MS && value <= MAX_EPOCH_MS) ms = value;
  } else if (typeof value === 'string' && ISO_8601.test(value)) {
    const impossible = impossibleDate(value);
    if (impossible) return new Refusal(`“${field.name}” is not a real time: ${impossible} in “${clip(value)}”.`);
    ms = Date.parse(asUtcIso(value));
  }
  if (Number.isNaN(ms)) {
    return new Refusal(`“${field.name}” must be an ISO 8601 time (2026-01-31T12:00:00Z) or epoch milliseconds, got ${describe(value)}.`);
  }
  // Checked before toISOString, which writes years past 9999 as "+010000" (text PostgreSQL refuses).
  if (!isEventTimeInRange(ms)) return new Refusal(`“${field.name}” is ${describe(value)}, outside the times an event can have (${EVENT_TIME_RANGE_TEXT}).`);
  return new Date(ms).toISOString();
}

/**
 * A text of STORED_TIME's form names a real time in the event range: years 1900–9999 (four digits cannot say
 * more), months 1–12, days of that month, hours to 23, minutes and seconds to 59. Digit arithmetic, no Date.
 */
function isRealStoredTime(value: string): boolean {
  const at = (start: number, length: number) => {
    let n = 0;
    for (let i = start; i < start + length; i++) n = n * 10 + value.charCodeAt(i) - 48;
    return n;
  };
  const year = at(0, 4);
  const month = at(5, 2);
  const day = at(8, 2);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days && at(11, 2) <= 23 && at(14, 2) <= 59 && at(17, 2) <= 59;
}

/** JavaScript rolls 2026-02-30 over to March 2 without a word; name the part that is out of range instead. */
function impossibleDate(value: string): string | null {
  const [, y, mo, d, h, mi, se] = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value)!.map(Number);
  if (mo! < 1 || mo! > 12) return `month ${mo}`;
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(y!, mo!, 0); // not Date.UTC, which reads years 0–99 as 1900–1999
  const days = lastDay.getUTCDate();
  if (d! < 1 || d! > days) return `day ${d} of a month with ${days} days`;
  if (h! > 23) return `hour ${h}`;
  if (mi! > 59) return `minute ${mi}`;
  if (se! > 59) return `second ${se}`;
  return null;
}

// A time without a zone is read as UTC, never as the server's local time.
function asUtcIso(value: string): string {
  if (value.length === 10) return `${value}T00:00:00Z`;
  const iso = value.replace(' ', 'T');
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the text “${clip(value)}”`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
