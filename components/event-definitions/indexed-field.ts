import { INDEXABLE_TYPES, MAX_INDEXED_FIELDS, type FieldType } from '@/lib/event-definitions/definition-schema';

// The editor's view of the server's rules on `indexed` (definitionIssues): the server stays the authority.

export const INDEXED_HELP = `Indexed fields keep filters fast on big stores; each costs a little on every write (at most ${MAX_INDEXED_FIELDS}).`;

/** Why a field of this type cannot be indexed, or null when it can. */
export function notIndexableReason(type: FieldType): string | null {
  return INDEXABLE_TYPES.includes(type) ? null : `A ${type} field cannot be indexed: filters match text, numbers, booleans and times.`;
}

/**
 * The change a new type makes to a row: a field whose new type cannot be indexed loses its tick, since its
 * checkbox is then disabled and could not be unticked by hand.
 */
export function retype(row: { indexed?: boolean }, type: FieldType): { type: FieldType; indexed: boolean } {
  return { type, indexed: Boolean(row.indexed) && notIndexableReason(type) === null };
}

/** More fields ticked than a definition may index (the server's error for it is at `fields`). */
export function tooManyIndexed(rows: readonly { indexed?: boolean }[]): boolean {
  return rows.filter((r) => r.indexed).length > MAX_INDEXED_FIELDS;
}
