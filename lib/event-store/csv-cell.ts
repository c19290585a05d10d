// Pure (no database): the console's rejected-rows download builds its CSV in the browser with it.
/**
 * One CSV cell: quoted when needed; objects, and every value of a json field, as JSON (so a re-upload
 * reads back the same value and type); and a text starting with = + - @, tab or carriage return guarded
 * with a quote so a spreadsheet never runs it as a formula (OWASP's list). A text that already starts
 * with a quote gets one more, so CSV upload, which removes exactly one guard, gives back the original.
 */
export function csvCell(value: unknown, type?: string): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' || type === 'json' ? JSON.stringify(value) : String(value);
  if (typeof value !== 'number' && /^[=+\-@\t\r']/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Values csvCell puts a quote before; a CSV upload takes exactly that one quote away again. */
const FORMULA_GUARD = /^'[=+\-@\t\r']/;

/** A cell as read from an uploaded CSV, without the formula guard csvCell added on export. */
export function unguardCsvCell(value: string): string {
  return FORMULA_GUARD.test(value) ? value.slice(1) : value;
}
