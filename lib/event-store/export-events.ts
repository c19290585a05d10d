import type pg from 'pg';
import type { DefinitionShape } from '@/lib/event-store/record-validation';
import { scanEvents, type ScanQuery } from '@/lib/event-store/scan-events';

export type ExportFormat = 'csv' | 'ndjson';
const PAGE = 5000;

/**
 * Streams every event matching the query (time order) as CSV (one column per definition field) or
 * NDJSON (the stored payloads), page by page over the keyset index: memory stays flat at any size.
 */
export async function* exportEvents(pool: pg.Pool, storeId: string, definition: DefinitionShape, query: Omit<ScanQuery, 'limit' | 'after' | 'direction'>, format: ExportFormat): AsyncGenerator<string> {
  const columns = definition.fields.map((f) => f.name);
  if (format === 'csv') yield columns.map(csvCell).join(',') + '\r\n';
  let after: ScanQuery['after'];
  do {
    const page = await scanEvents(pool, storeId, { ...query, after, limit: PAGE, direction: 'asc' });
    let chunk = '';
    for (const row of page.rows) {
      chunk += format === 'csv' ? columns.map((c) => csvCell(row.payload[c])).join(',') + '\r\n' : JSON.stringify(row.payload) + '\n';
    }
    if (chunk) yield chunk;
    after = page.next ?? undefined;
  } while (after);
}

/**
 * One CSV cell: quoted when needed, objects as JSON, and a leading = + - @ guarded with a quote so a
 * spreadsheet never runs it as a formula (CSV upload removes exactly that one quote again).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value !== 'number' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
