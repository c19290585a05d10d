import { createHash, randomUUID } from 'node:crypto';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { parseBackfillCsv, type BackfillRowInput } from '@/lib/backfills/parse-backfill-csv';
import { getBackfillPreview } from '@/lib/backfills/read-backfills';
import { BACKFILL_MAX_BYTES, type BackfillPreview } from '@/lib/backfills/types';
import { getPool } from '@/lib/db/pool';
import { inTransaction } from '@/lib/db/transaction';
import { AppError } from '@/lib/errors';
import { findStore } from '@/lib/event-store/get-store';
import { cleanFileName } from '@/lib/event-store/ingest/record-ingest-audit';

export const backfillTooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${BACKFILL_MAX_BYTES / 1_048_576} MiB, the limit for a backfill: split it into smaller files.`, {
    status: 413,
  });

/**
 * Reads a backfill file for a store of the workspace and records it as a `previewed` backfill: each row
 * with the stored event it matches (same id and the same event time, compared as instants), in one
 * set-based statement. Touches no event; a file that fails to parse records nothing (BACKFILL_FILE_INVALID).
 */
export async function previewBackfill(scope: WorkspaceScope, storeId: string, file: { name: string; bytes: Buffer }): Promise<BackfillPreview> {
  const store = await findStore(scope.workspaceId, storeId);
  if (file.bytes.length > BACKFILL_MAX_BYTES) throw backfillTooLarge();
  const { rows } = parseBackfillCsv(file.bytes, store.definition);
  const id = randomUUID();
  await inTransaction(getPool(), async (client) => {
    await client.query(
      `INSERT INTO backfills (id, workspace_id, store_id, file_name, sha256, requested, matched, created_by)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, 0, $7)`,
      [id, scope.workspaceId, store.id, cleanFileName(file.name.trim()) ?? 'backfill.csv', createHash('sha256').update(file.bytes).digest('hex'), rows.length, scope.actor.label],
    );
    await client.query(MATCH_ROWS, [id, store.id, ...rowArrays(rows)]);
  });
  return getBackfillPreview(scope, id);
}

/**
 * Records the rows with their match and counts the matches, in one statement: the rows arrive as three
 * arrays, each looked up in the store by its primary key (store_id, event_id).
 */
const MATCH_ROWS = `
  WITH kept AS (
    INSERT INTO backfill_rows (backfill_id, line, event_id, event_time, stored_event_time, matched)
    SELECT $1::uuid, r.line, r.event_id, r.event_time, e.event_time, coalesce(e.event_time = r.event_time, false)
      FROM unnest($3::int[], $4::text[], $5::timestamptz[]) AS r(line, event_id, event_time)
      LEFT JOIN events e ON e.store_id = $2::uuid AND e.event_id = r.event_id
    RETURNING matched)
  UPDATE backfills SET matched = (SELECT count(*) FROM kept WHERE matched) WHERE id = $1::uuid`;

function rowArrays(rows: BackfillRowInput[]): [number[], string[], string[]] {
  return [rows.map((r) => r.line), rows.map((r) => r.eventId), rows.map((r) => r.eventTime.toISOString())];
}
