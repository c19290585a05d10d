import type pg from 'pg';
import type { DefinitionShape } from '@/lib/event-store/record-validation';
import { csvCell } from '@/lib/event-store/csv-cell';
import { scanEvents, type ScanQuery } from '@/lib/event-store/scan-events';

export { csvCell };

export type ExportFormat = 'csv' | 'ndjson';
const PAGE = 5000;

/**
 * Streams every event matching the query (time order) as CSV (one column per definition field) or
 * NDJSON (the stored payloads), page by page over the keyset index: memory stays flat at any size.
 */
export async function* exportEvents(pool: pg.Pool, storeId: string, definition: DefinitionShape, query: Omit<ScanQuery, 'limit' | 'after' | 'direction'>, format: ExportFormat): AsyncGenerator<string> {
  const columns = definition.fields.map((f) => f.name);
  const types = definition.fields.map((f) => f.type);
  if (format === 'csv') yield columns.map((c) => csvCell(c)).join(',') + '\r\n';
  let after: ScanQuery['after'];
  do {
    const page = await scanEvents(pool, storeId, { ...query, after, limit: PAGE, direction: 'asc' });
    let chunk = '';
    for (const row of page.rows) {
      chunk += format === 'csv' ? columns.map((c, i) => csvCell(row.payload[c], types[i])).join(',') + '\r\n' : JSON.stringify(row.payload) + '\n';
    }
    if (chunk) yield chunk;
    after = page.next ?? undefined;
  } while (after);
}

