import type pg from 'pg';
import { csvCell } from '@/lib/event-store/csv-cell';

const PAGE = 1_000;

/**
 * A run's kept record errors as CSV (`node,reason,record`, the record as JSON), in the order they were
 * kept, read in keyset pages on (run_id, id): memory stays flat however many there are.
 */
export async function* runErrorsCsv(db: pg.Pool, runId: string): AsyncGenerator<string> {
  yield 'node,reason,record\r\n';
  let after = 0n;
  for (;;) {
    const { rows } = await db.query<{ id: string; node_id: string; reason: string; record: unknown }>(
      `SELECT id, node_id, reason, record FROM meter_run_errors WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [runId, after.toString(), PAGE],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => `${csvCell(r.node_id)},${csvCell(r.reason)},${csvCell(r.record, 'json')}\r\n`).join('');
    after = BigInt(rows.at(-1)!.id);
    if (rows.length < PAGE) return;
  }
}
