/** Value types the analyzer reasons about. `any` means "could be anything": no warnings are raised on it. */
export type ValueType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'array' | 'object' | 'null' | 'any';

export const isNumeric = (t: ValueType) => t === 'number' || t === 'integer';
export const isTemporal = (t: ValueType) => t === 'date' || t === 'datetime';
/** Dates and times travel as ISO 8601 text, so they compare with text. */
export const isTextual = (t: ValueType) => t === 'string' || isTemporal(t);

export function typeLabel(t: ValueType): string {
  switch (t) {
    case 'integer':
      return 'whole number';
    case 'datetime':
      return 'date and time';
    case 'string':
      return 'text';
    default:
      return t;
  }
}
