import type pg from 'pg';
import { csvCell } from '@/lib/event-store/csv-cell';
import { listUsageRecords, USAGE_RECORD_COLUMNS, type UsageCursor } from '@/lib/usage-records/list-usage-records';
import type { UsageRecordFilters } from '@/lib/usage-records/usage-record-filters';

const PAGE = 5000;
const QUANTITY = 1 + USAGE_RECORD_COLUMNS.indexOf('quantity');

/** Streams the matching usage records, newest first, as CSV (the meter's name first), page by page: memory stays flat. */
export async function* exportUsageRecordsCsv(db: pg.Pool, workspaceId: string, filters: UsageRecordFilters): AsyncGenerator<string> {
  yield ['meter', ...USAGE_RECORD_COLUMNS].map((c) => csvCell(c)).join(',') + '\r\n';
  let before: UsageCursor | undefined;
  do {
    const page = await listUsageRecords(db, workspaceId, { ...filters, before, limit: PAGE });
    let chunk = '';
    for (const row of page.rows) {
      const values = [row.meterName, ...USAGE_RECORD_COLUMNS.map((c) => (row[c] instanceof Date ? (row[c] as Date).toISOString() : row[c]))];
      // The quantity is PostgreSQL's exact decimal text (digits, sign, point): written as is, so a negative one
      // is not formula-guarded and no precision is lost to a float.
      chunk += values.map((v, i) => (i === QUANTITY ? String(v) : csvCell(v))).join(',') + '\r\n';
    }
    if (chunk) yield chunk;
    before = page.next ?? undefined;
  } while (before);
}
