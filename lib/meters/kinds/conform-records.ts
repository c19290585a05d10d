import { readTimeText } from '@/lib/event-store/record-validation';
import type { FlowField, FlowRecord } from '@/lib/meters/flow-schema';
import type { RecordProcessor } from '@/lib/meters/kind-spec';

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

class Refusal {
  constructor(readonly reason: string) {}
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

function convert(field: FlowField, value: unknown, textual: boolean): unknown {
  const { name, type } = field;
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : new Refusal(`“${name}” must be text.`);
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return text !== undefined && NUMBER_TEXT.test(text) && Number.isFinite(Number(text)) ? Number(text) : new Refusal(`“${name}” must be a number, got ${describe(value)}.`);
    case 'integer':
      if (Number.isSafeInteger(value)) return value;
      return text !== undefined && INTEGER_TEXT.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : new Refusal(`“${name}” must be a whole number, got ${describe(value)}.`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (text?.toLowerCase() === 'true') return true;
      if (text?.toLowerCase() === 'false') return false;
      return new Refusal(`“${name}” must be true or false, got ${describe(value)}.`);
    case 'datetime': {
      if (typeof value !== 'string' && typeof value !== 'number') return new Refusal(`“${name}” must be a date and time, got ${describe(value)}.`);
      const time = readTimeText(String(value), name);
      return typeof time === 'string' ? new Refusal(time) : time.toISOString();
    }
    case 'json':
      if (!textual || typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return new Refusal(`“${name}” must hold JSON, got “${clip(value)}”.`);
      }
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `“${clip(value)}”`;
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * Reads records into a declared schema: only the declared fields are kept, values are converted to the
 * field's type (text such as "12.5" or "true" included, as CSV gives them; `textual` also parses json
 * fields), and a record missing a required field or holding a value that does not convert is rejected
 * with a reason naming the field. Only own properties are read, so `__proto__` or `constructor` keys in
 * the input never reach a prototype.
 */
export function conformRecord(fields: readonly FlowField[], record: FlowRecord, textual: boolean): FlowRecord | string {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return 'Each record must be an object of field names to values.';
  const out: FlowRecord = {};
  for (const field of fields) {
    const raw = Object.hasOwn(record, field.name) ? record[field.name] : undefined;
    if (raw === null || raw === undefined || (typeof raw === 'string' && raw === '' && field.type !== 'string')) {
      if (field.required) return `Required field “${field.name}” is missing.`;
      continue;
    }
    const value = convert(field, raw, textual);
    if (value instanceof Refusal) return value.reason;
    out[field.name] = value;
  }
  return out;
}

/** A source's processor: each sample or incoming record conformed to the source's declared fields. */
export function conformingProcessor(fields: readonly FlowField[], textual: boolean): RecordProcessor {
  return {
    push(records) {
      const out: FlowRecord[] = [];
      const rejected = [];
      for (const record of records) {
        const result = conformRecord(fields, record, textual);
        if (typeof result === 'string') rejected.push({ record, reason: result });
        else out.push(result);
      }
      return { records: out, rejected };
    },
    flush: () => ({ records: [], rejected: [] }),
  };
}
