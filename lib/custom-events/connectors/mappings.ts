import { BILLING_OBJECTS, findField, findObject, suggest, type BillingObject, type ObjectField } from '@/lib/custom-events/object-model';
import type { FieldValue } from '@/lib/custom-events/changes/object-change';

/**
 * How a connector turns rows of source tables into billing object records: per table, the object and which
 * column feeds which field. Framework-free: the create form's checks and the capture loop share it.
 */
export interface TableMapping {
  /** `schema.table`, as PostgreSQL names it (unquoted names fold to lower case). */
  table: string;
  /** Canonical billing object name. */
  object: string;
  /** Source column → canonical field name. One column maps to `Id`: the record id. */
  columns: Record<string, string>;
}

/** One line of the mappings text as written: `public.invoices -> Invoice: amount_due = Amount, state = Status`. */
export interface MappingLine {
  line: number;
  table: string;
  object: string;
  /** Column → field as written (not yet checked). */
  explicit: Record<string, string>;
}

export const MAPPING_EXAMPLE = 'public.invoices -> Invoice: total = Amount';
const LINE = /^\s*([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?)\s*(?:->|→|=>)\s*([A-Za-z_]\w*)\s*(?::\s*(.*))?$/;

/** Reads the mappings text, one table per line (blank lines and `#` comments skipped); errors name the line. */
export function parseMappingText(text: string): { lines: MappingLine[]; errors: string[] } {
  const lines: MappingLine[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const number = index + 1;
    const body = raw.replace(/#.*$/, '').trim();
    if (body === '') return;
    const match = LINE.exec(body);
    if (!match) return errors.push(`Line ${number}: write “table -> Object”, optionally followed by “: column = Field, …” (e.g. ${MAPPING_EXAMPLE}).`);
    const table = qualified(match[1]!);
    const explicit: Record<string, string> = {};
    for (const pair of (match[3] ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const parts = /^([A-Za-z_][\w$]*)\s*=\s*([A-Za-z_]\w*)$/.exec(pair);
      if (!parts) {
        errors.push(`Line ${number}: “${pair}” is not “column = Field” (e.g. total = Amount).`);
        continue;
      }
      explicit[parts[1]!.toLowerCase()] = parts[2]!;
    }
    if (lines.some((l) => l.table === table)) return errors.push(`Line ${number}: ${table} is mapped twice; map each table once.`);
    lines.push({ line: number, table, object: match[2]!, explicit });
  });
  if (lines.length === 0 && errors.length === 0) errors.push(`Map at least one table, e.g. ${MAPPING_EXAMPLE}.`);
  return { lines, errors };
}

const qualified = (name: string) => (name.includes('.') ? name : `public.${name}`).toLowerCase();
const squash = (name: string) => name.replace(/_/g, '').toLowerCase();

/**
 * Checks parsed lines against the billing objects and the source's tables and columns (`tables`: table →
 * its columns), with did-you-mean hints. Columns not named on a line map to the field of the same name,
 * ignoring case and underscores (`invoice_number` → InvoiceNumber); the result lists every column, so later
 * columns on the source are not picked up silently. Each table needs a column for `Id`, the record id.
 */
export function resolveMappings(
  lines: readonly MappingLine[],
  tables: ReadonlyMap<string, readonly string[]>,
  objects: readonly BillingObject[] = BILLING_OBJECTS,
): { mappings: TableMapping[]; errors: string[] } {
  const mappings: TableMapping[] = [];
  const errors: string[] = [];
  for (const line of lines) {
    const at = `Line ${line.line}`;
    const object = findObject(objects, line.object);
    if (!object) {
      errors.push(`${at}: there is no billing object “${line.object}”.${hint(line.object, objects.map((o) => o.name))}`);
      continue;
    }
    const columns = tables.get(line.table);
    if (!columns) {
      errors.push(`${at}: the source has no table ${line.table}.${hint(line.table, [...tables.keys()])}`);
      continue;
    }
    const mapped: Record<string, string> = {};
    for (const [column, fieldName] of Object.entries(line.explicit)) {
      if (!columns.includes(column)) errors.push(`${at}: ${line.table} has no column “${column}”.${hint(column, columns)}`);
      const field = findField(object, fieldName);
      if (!field) errors.push(`${at}: ${object.name} has no field “${fieldName}”.${hint(fieldName, object.fields.map((f) => f.name))}`);
      else mapped[column] = field.name;
    }
    const taken = new Set(Object.values(mapped));
    for (const column of columns) {
      if (column in line.explicit) continue;
      const field = object.fields.find((f) => squash(f.name) === squash(column));
      if (field && !taken.has(field.name)) {
        mapped[column] = field.name;
        taken.add(field.name);
      }
    }
    if (!taken.has('Id')) {
      errors.push(`${at}: no column of ${line.table} maps to ${object.name}.Id, the record id; add “: <column> = Id” (its columns: ${columns.join(', ')}).`);
    }
    mappings.push({ table: line.table, object: object.name, columns: mapped });
  }
  return { mappings, errors };
}

/** The mappings written back as text (what the connector page shows). */
export function mappingText(mappings: readonly TableMapping[]): string {
  return mappings
    .map((m) => `${m.table} -> ${m.object}: ${Object.entries(m.columns).map(([c, f]) => `${c} = ${f}`).join(', ')}`)
    .join('\n');
}

function hint(name: string, candidates: readonly string[]): string {
  const found = suggest(name, candidates);
  return found.length > 0 ? ` Did you mean ${found.join(' or ')}?` : '';
}

/**
 * A source row's mapped columns as field values: numbers from numeric text where the field is a number,
 * dates as `YYYY-MM-DD`, date-times as ISO 8601, other objects as JSON text. Columns absent from the row
 * (unchanged TOASTed values under a non-FULL replica identity) are left out, not nulled.
 */
export function rowToFields(mapping: TableMapping, row: Record<string, unknown> | null, object: BillingObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!row) return out;
  for (const [column, fieldName] of Object.entries(mapping.columns)) {
    if (!(column in row) || row[column] === undefined) continue;
    const field = findField(object, fieldName);
    if (field) out[field.name] = toFieldValue(row[column], field);
  }
  return out;
}

/** One source value as a value of `field`; a value that cannot be converted is passed on, for the change check to refuse by name. */
export function toFieldValue(value: unknown, field: ObjectField): FieldValue | unknown {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'number':
    case 'integer':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return value;
    case 'boolean':
      if (value === 't' || value === 'true') return true;
      if (value === 'f' || value === 'false') return false;
      return value;
    case 'date':
      // pg reads a `date` as local midnight: its local calendar day is the date.
      if (value instanceof Date) return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
      return value;
    case 'datetime':
      if (value instanceof Date) return value.toISOString();
      return value;
    case 'string':
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
