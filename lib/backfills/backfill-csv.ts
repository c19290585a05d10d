import type { WorkspaceScope } from '@/lib/auth/actor';
import { findBackfill, toUnmatchedRow } from '@/lib/backfills/read-backfills';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { csvCell } from '@/lib/event-store/csv-cell';
import { findStore } from '@/lib/event-store/get-store';

const csvLine = (cells: unknown[]) => `${cells.map((cell) => csvCell(cell)).join(',')}\n`;

/**
 * The events a backfill deleted (its trail), in event-time order: event id and event time under the
 * definition's field names (so the file can be uploaded again as a backfill), the payload as JSON, and
 * when each event had been ingested. Only the header for a backfill that deleted nothing (yet).
 */
export async function deletedEventsCsv(scope: WorkspaceScope, backfillId: string): Promise<{ fileName: string; csv: string }> {
  const backfill = await findBackfill(scope, backfillId);
  const { definition } = await findStore(scope.workspaceId, backfill.storeId);
  const { rows } = await getPool().query<{ event_id: string; event_time: Date; payload: unknown; ingested_at: Date }>(
    `SELECT event_id, event_time, payload, ingested_at FROM backfill_events WHERE backfill_id = $1::uuid ORDER BY event_time, event_id`,
    [backfill.id],
  );
  // Payloads are JSON objects: csvCell writes objects as JSON.
  const lines = rows.map((r) => csvLine([r.event_id, r.event_time.toISOString(), r.payload, r.ingested_at.toISOString()]));
  return {
    fileName: `${backfill.store.name}-backfill-${backfill.id.slice(0, 8)}-deleted-events.csv`,
    csv: csvLine([definition.eventIdField, definition.eventTimeField, 'payload', 'ingested_at']) + lines.join(''),
  };
}

/** The rows of a backfill's file that matched no stored event at preview, with why. */
export async function unmatchedRowsCsv(scope: WorkspaceScope, backfillId: string): Promise<{ fileName: string; csv: string }> {
  const backfill = await findBackfill(scope, backfillId);
  const rows = await getPrisma().backfillRow.findMany({ where: { backfillId: backfill.id, matched: false }, orderBy: { line: 'asc' } });
  const lines = rows.map(toUnmatchedRow).map((r) => csvLine([r.line, r.eventId, r.eventTime, r.reason, r.storedEventTime ?? '']));
  return {
    fileName: `${backfill.store.name}-backfill-${backfill.id.slice(0, 8)}-unmatched.csv`,
    csv: csvLine(['line', 'event_id', 'event_time', 'reason', 'stored_event_time']) + lines.join(''),
  };
}
