import type { FilterIndexState } from '@/lib/event-store/filter-indexes';

/** A field the events filter offers: whether the store's definition marks it indexed, and its index now. */
export interface FilterField {
  name: string;
  indexed: boolean;
  index: FilterIndexState;
}

type DefinitionFieldLike = { name: string; type: string; indexed?: boolean };

/** The fields a filter can match: every field but json ones. */
export const filterable = <F extends DefinitionFieldLike>(fields: readonly F[]): F[] => fields.filter((f) => f.type !== 'json');

/** The fields a filter can match, with their indexes' states. */
export function filterFields(fields: readonly DefinitionFieldLike[], states: ReadonlyMap<string, FilterIndexState>): FilterField[] {
  return filterable(fields).map((f) => ({ name: f.name, indexed: Boolean(f.indexed), index: states.get(f.name) ?? 'missing' }));
}

/** The chooser's text for a field: indexed ones say so. */
export const filterFieldLabel = (field: FilterField) => (field.indexed ? `${field.name} · indexed` : field.name);

/**
 * Why a filter on the field may be slow, or null when an index serves it. A field the definition marks
 * indexed whose index is not there yet is being built (the server builds it within seconds of the save).
 */
export function filterFieldSpeed(field: FilterField): 'not-indexed' | 'building' | null {
  if (field.index === 'ready') return null;
  if (field.index === 'building' || field.indexed) return 'building';
  return 'not-indexed';
}
