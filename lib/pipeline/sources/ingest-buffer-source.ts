import type pg from 'pg';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import { SOURCE_BATCH_SIZE, type SourceBatch } from '@/lib/pipeline/sources/source-batch';

export interface IngestBufferOptions {
  /** How long to wait when the buffer is empty before looking again; 1 s by default. */
  pollMs?: number;
  batchSize?: number;
}

interface BufferedRow {
  id: string;
  node_id: string;
  record: FlowRecord;
}

/**
 * A live run's source: what the meter's HTTP ingest endpoint buffered in `meter_ingest_records`, taken in
 * micro-batches in id order, looking again about every second when the buffer is empty, until `signal`
 * aborts ("stopped"): then it ends normally and the run finishes what it took.
 *
 * At least once: a batch's rows are deleted only after its writes are done (`written`), so a run that dies
 * leaves them for the next start, and the targets' upserts make the repeat harmless. Rows are read by "not
 * yet taken" rather than after a remembered id, because ids are handed out before commit: a request that
 * commits late with a lower id is still picked up. Rows for nodes this meter no longer has are dropped.
 */
export async function* ingestBufferSource(pool: pg.Pool, meterId: string, nodeIds: readonly string[], signal: AbortSignal, options: IngestBufferOptions = {}): AsyncGenerator<SourceBatch> {
  const batchSize = options.batchSize ?? SOURCE_BATCH_SIZE;
  const taken = new Set<string>();
  while (!signal.aborted) {
    const { rows } = await pool.query<BufferedRow>(
      `SELECT id::text, node_id, record FROM meter_ingest_records WHERE meter_id = $1::uuid AND id <> ALL($2::bigint[]) ORDER BY id LIMIT $3`,
      [meterId, [...taken], batchSize],
    );
    if (!rows.length) {
      await pause(options.pollMs ?? 1_000, signal);
      continue;
    }
    const records = new Map<string, FlowRecord[]>(nodeIds.map((id) => [id, []]));
    for (const row of rows) records.get(row.node_id)?.push(row.record);
    const ids = rows.map((r) => r.id);
    ids.forEach((id) => taken.add(id));
    yield {
      records,
      read: rows.length,
      written: async () => {
        await pool.query(`DELETE FROM meter_ingest_records WHERE id = ANY($1::bigint[])`, [ids]);
        ids.forEach((id) => taken.delete(id));
      },
    };
  }
}

/** Waits `ms`, or less when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
