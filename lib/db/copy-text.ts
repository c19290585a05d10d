/**
 * Values written in COPY's text format (`COPY ... FROM STDIN`, tab-separated, a row per line): a text
 * value with its backslashes, tabs, newlines and carriage returns escaped; NULL as `\N`.
 */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;
}

/** A text[] value for COPY: the array literal with every element quoted, then escaped as text. */
export function copyTextArray(values: readonly string[]): string {
  return copyText(`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
}

export const COPY_NULL = '\\N';
