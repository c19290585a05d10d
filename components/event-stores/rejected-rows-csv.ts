import { csvCell } from '@/lib/event-store/csv-cell';

export interface RejectedRow {
  position: number;
  field: string | null;
  reason: string;
  /** The record as it was sent (the ingest route's `?include=records`); null when it was too long to read. */
  record?: string | null;
  recordTruncated?: boolean;
}

/**
 * The rejected records of an upload as a CSV to fix and upload again.
 * - A CSV upload gives `position,reason,` + the file's own header, and each rejected row exactly as it was
 *   written after its position and reason: delete the first two columns, fix the rows, upload.
 * - A JSON or NDJSON upload gives `position,field,reason,record`, the record's JSON text in one cell.
 * Our own cells are formula-guarded (csvCell); the original rows are the user's own text, kept verbatim.
 */
export function rejectedRowsCsv(rows: RejectedRow[], source: { format: string; csvHeader?: string }): string {
  const reason = (row: RejectedRow) => (row.recordTruncated ? `${row.reason} (The record is cut at its first characters here.)` : row.reason);
  if (source.format === 'csv') {
    const header = source.csvHeader ?? '';
    return [`position,reason${header ? `,${header}` : ''}`, ...rows.map((row) => `${row.position},${csvCell(reason(row))}${header ? `,${row.record ?? ''}` : ''}`)]
      .map((line) => `${line}\r\n`)
      .join('');
  }
  return ['position,field,reason,record', ...rows.map((row) => [row.position, csvCell(row.field), csvCell(reason(row)), csvCell(row.record)].join(','))]
    .map((line) => `${line}\r\n`)
    .join('');
}

/** The header row of a CSV file's first bytes (without a BOM or its line break), to put above rejected rows. */
export function csvHeaderOf(firstBytes: string): string {
  const text = firstBytes.startsWith('\uFEFF') ? firstBytes.slice(1) : firstBytes;
  return text.split(/\r\n|\r|\n/, 1)[0] ?? '';
}
