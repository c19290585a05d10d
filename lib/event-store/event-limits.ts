/**
 * The limits every event must meet. Each is checked per record: an event past one is rejected with its
 * position, field and reason, and its neighbours are stored (README, "Limits"). They keep every accepted
 * event storable by PostgreSQL and cheap for everything that reads it later (meters, expressions, exports).
 */

/** One event's text as sent (an NDJSON line, a JSON array element, a CSV row), in bytes. */
export const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * Containers nested in one event, the event object itself counted: `{"meta": [[1]]}` is 3 deep. Far above
 * any real usage event, far below what JSON.stringify and PostgreSQL's jsonb parser can recurse through.
 */
export const MAX_EVENT_DEPTH = 64;

/** Values in one event: its fields plus every key and list item inside json fields, at any depth. */
export const MAX_EVENT_VALUES = 10_000;

/** Columns in a CSV header: a definition has at most 200 fields, so more is never a valid file. */
export const MAX_CSV_COLUMNS = 1_000;

/** Longest event id: keeps every (store, id) key well inside PostgreSQL's B-tree entry limit. */
export const MAX_EVENT_ID_LENGTH = 512;

/**
 * Event times from 1900-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z (UTC), inclusive. Inside this range
 * JavaScript's Date, its ISO text (always four-digit years, never `+010000`) and PostgreSQL's timestamptz
 * agree to the millisecond. Outside it they part: year 0000 is valid ISO 8601 but PostgreSQL has no year 0,
 * JavaScript reads years past 9999 that PostgreSQL prints differently or refuses, and no usage predates 1900.
 */
export const MIN_EVENT_TIME_MS = Date.UTC(1900, 0, 1);
export const MAX_EVENT_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The range in words, for messages. */
export const EVENT_TIME_RANGE_TEXT = '1900-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z';

/** True when `ms` is a time events may have (and queries may name). */
export function isEventTimeInRange(ms: number): boolean {
  return ms >= MIN_EVENT_TIME_MS && ms <= MAX_EVENT_TIME_MS;
}
