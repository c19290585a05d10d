import { parse as parseCsv } from 'csv-parse/browser/esm/sync';

/**
 * Reads the first records of a file for a File upload source, in the browser: enough to infer its schema
 * and to preview the meter, never the whole file. Pure (text in, records out); the panel reads at most
 * SAMPLE_MAX_BYTES of the file and says whether it stopped early, so a record cut at that point is left out.
 */

export const SAMPLE_MAX_ROWS = 1_000;
export const SAMPLE_MAX_BYTES = 5 * 1024 * 1024;
export const SAMPLE_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type SampleFormat = (typeof SAMPLE_FORMATS)[number];

export interface ParsedSample {
  /** Records as read: CSV cells are text, JSON values keep their JSON types. */
  rows: Record<string, unknown>[];
  /** CSV: every value is text and is converted by the field's type later. */
  textual: boolean;
  /** Why some input was not read (a broken line, a non-object element), at most a few, with positions. */
  problems: string[];
  /** More records follow than were read (row cap or byte cap). */
  truncated: boolean;
}

const MAX_PROBLEMS = 5;

/** The format a file's name suggests (`usage.ndjson`, `calls.JSONL`), or null when it names none of ours. */
export function formatOfFileName(fileName: string): SampleFormat | null {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  if (extension === 'csv') return 'csv';
  if (extension === 'json') return 'json';
  if (extension === 'ndjson' || extension === 'jsonl') return 'ndjson';
  return null;
}

/** The first SAMPLE_MAX_ROWS records of `text`; `cut` says the text stops mid-file (its last record may be partial). */
export function parseSample(text: string, format: SampleFormat, cut = false): ParsedSample {
  const body = text.replace(/^\uFEFF/, '');
  if (format === 'csv') return parseCsvSample(cut ? wholeLines(body) : body, cut);
  if (format === 'ndjson') return parseNdjsonSample(cut ? wholeLines(body) : body, cut);
  return parseJsonSample(body, cut);
}

/** The text up to its last line break: what follows it may be half a record. */
const wholeLines = (text: string) => text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1));

function parseCsvSample(text: string, cut: boolean): ParsedSample {
  const problems: string[] = [];
  try {
    const rows = parseCsv(text, {
      columns: (header: string[]) => header.map((name) => name.trim()),
      skip_empty_lines: true,
      relax_column_count: true,
      to: SAMPLE_MAX_ROWS + 1,
    }) as Record<string, string>[];
    return { rows: rows.slice(0, SAMPLE_MAX_ROWS), textual: true, problems, truncated: cut || rows.length > SAMPLE_MAX_ROWS };
  } catch (error) {
    problems.push(`The CSV could not be read: ${(error as Error).message}`);
    return { rows: [], textual: true, problems, truncated: cut };
  }
}

function parseNdjsonSample(text: string, cut: boolean): ParsedSample {
  const rows: Record<string, unknown>[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let index = 0;
  for (; index < lines.length && rows.length < SAMPLE_MAX_ROWS; index++) {
    const line = lines[index]!.trim();
    if (!line) continue;
    addRecord(rows, problems, line, `Line ${index + 1}`);
  }
  const more = lines.slice(index).some((line) => line.trim() !== '');
  return { rows, textual: false, problems, truncated: cut || more };
}

function parseJsonSample(text: string, cut: boolean): ParsedSample {
  const rows: Record<string, unknown>[] = [];
  const problems: string[] = [];
  const start = text.search(/\S/);
  if (start >= 0 && text[start] === '{' && !cut) {
    addRecord(rows, problems, text, 'The file');
    return { rows, textual: false, problems, truncated: false };
  }
  if (start < 0 || text[start] !== '[') {
    return { rows, textual: false, problems: ['A JSON file must hold an array of records ([{…}, {…}]) or one record; for one record per line, use NDJSON.'], truncated: false };
  }
  const { elements, complete } = arrayElements(text, start, SAMPLE_MAX_ROWS + 1);
  elements.slice(0, SAMPLE_MAX_ROWS).forEach((element, i) => addRecord(rows, problems, element, `Element ${i + 1}`));
  if (!complete && !cut) problems.push('The JSON array ends without its closing “]”; the records before that point were read.');
  return { rows, textual: false, problems, truncated: cut || elements.length > SAMPLE_MAX_ROWS };
}

function addRecord(rows: Record<string, unknown>[], problems: string[], text: string, where: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (problems.length < MAX_PROBLEMS) problems.push(`${where} is not valid JSON; it was skipped.`);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) rows.push(value as Record<string, unknown>);
  else if (problems.length < MAX_PROBLEMS) problems.push(`${where} is not a record (a JSON object of field names to values); it was skipped.`);
}

/**
 * The text of each top-level element of the array opening at `start`, up to `limit`, found by counting
 * brackets outside strings (no parse of the whole text, so a file cut mid-array still gives its first records).
 */
function arrayElements(text: string, start: number, limit: number): { elements: string[]; complete: boolean } {
  const elements: string[] = [];
  let depth = 0;
  let inString = false;
  let from = start + 1;
  for (let i = start + 1; i < text.length && elements.length < limit; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (depth > 0 && (c === '}' || c === ']')) depth--;
    else if (depth === 0 && (c === ',' || c === ']')) {
      const element = text.slice(from, i).trim();
      if (element) elements.push(element);
      if (c === ']') return { elements, complete: true };
      from = i + 1;
    }
  }
  return { elements, complete: elements.length >= limit };
}
