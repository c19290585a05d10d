import { AppError } from '@/lib/errors';
import { isEventTimeInRange } from '@/lib/event-store/event-limits';
import { readTimeText, storedTimeText, type DefinitionShape } from '@/lib/event-store/record-validation';
import { unstorableText } from '@/lib/event-store/storable-value';
import { decodeCursor, type ScanQuery } from '@/lib/event-store/scan-events';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/**
 * Reads an events query from URL parameters (the browser page and the REST API share it):
 * `from`, `to` (ISO 8601; without a zone, UTC), `after` (cursor), `order` (asc|desc), `limit`, and
 * `where.<field>=<value>` exact-match filters converted to the field's type. Times follow the rules of
 * event times, range included (1900–9999): JavaScript reads times PostgreSQL refuses, and a query must
 * answer 400 for those (and for a NUL in a filter or cursor), not fail in the database. Errors name the
 * parameter.
 */
export function parseEventQuery(params: URLSearchParams, definition: DefinitionShape): ScanQuery {
  const fieldErrors: Record<string, string[]> = {};
  const time = (name: string) => {
    const raw = params.get(name)?.trim();
    if (!raw) return undefined;
    const value = readTimeText(raw, name);
    if (value instanceof Date) return value;
    // A time out of range says so; anything else gets the short hint the filter form shows.
    fieldErrors[name] = [/outside the times/.test(value) ? value : `“${raw}” is not a time; use ISO 8601, e.g. 2026-01-31T00:00:00Z.`];
    return undefined;
  };
  const from = time('from');
  const to = time('to');
  if (from && to && from >= to) fieldErrors.to = ['“to” must be after “from”.'];

  const where: Record<string, string | number | boolean> = {};
  for (const [key, raw] of params) {
    if (!key.startsWith('where.') || raw === '') continue;
    const name = key.slice('where.'.length);
    const field = definition.fields.find((f) => f.name === name);
    if (!field) {
      fieldErrors[key] = [`“${name}” is not a field of ${definition.name}.`];
      continue;
    }
    const value = typedValue(field.type, raw);
    // No event holds text PostgreSQL cannot store, and such text would fail the query in the database.
    const unstorable = typeof value === 'string' ? unstorableText(value) : null;
    if (value === undefined) fieldErrors[key] = [`“${raw}” is not a valid ${field.type} for “${name}”.`];
    else if (unstorable) fieldErrors[key] = [`The value ${unstorable}`];
    else where[name] = value;
  }

  const limitText = params.get('limit');
  const limit = limitText ? Number(limitText) : DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) fieldErrors.limit = [`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`];
  const after = params.get('after');
  const cursor = decodeCursor(after);
  if (after && (!cursor || !isEventTimeInRange(cursor.time.getTime()) || unstorableText(cursor.id))) {
    fieldErrors.after = ['The page cursor is not valid; start again from the first page.'];
  }

  if (Object.keys(fieldErrors).length) {
    throw new AppError('INVALID_QUERY', 'Some query parameters need attention.', { fieldErrors });
  }
  return { from, to, where, after: cursor, limit, direction: params.get('order') === 'asc' ? 'asc' : 'desc' };
}

function typedValue(type: string, raw: string): string | number | boolean | undefined {
  switch (type) {
    case 'number':
      return Number.isFinite(Number(raw)) && raw.trim() !== '' ? Number(raw) : undefined;
    case 'integer':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'datetime':
      return storedTimeText(raw);
    case 'json':
      return undefined;
    default:
      return raw;
  }
}
