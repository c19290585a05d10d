import type pg from 'pg';
import { inTransaction } from '@/lib/db/transaction';
import { storableJson, storableText } from '@/lib/event-store/storable-value';
import { MAX_KEPT_RECORD_ERRORS, type RecordError, type RunProgress } from '@/lib/runs/types';

/** How often progress is written while a run goes (the run page polls once a second). */
export const PROGRESS_SAVE_MS = 500;

/**
 * Where a running run's counts and record errors go. Progress is written at most every PROGRESS_SAVE_MS
 * (the latest snapshot wins; the final one is written when the run ends, with its status). Record errors
 * are counted all, and the first MAX_KEPT_RECORD_ERRORS kept, each batch in one INSERT … unnest.
 * Statements are conditional on the worker still owning the run, so a reaped run is not written to.
 */
export function runProgressSink(pool: pg.Pool, runId: string, workerId: string) {
  let latest: RunProgress | null = null;
  let savedAt = 0;
  let saving: Promise<unknown> = Promise.resolve();
  let kept = 0;

  const onProgress = (progress: RunProgress) => {
    latest = progress;
    const now = performance.now();
    if (now - savedAt < PROGRESS_SAVE_MS) return;
    savedAt = now;
    // One write at a time, never awaited by the engine: a slow write delays the next one, not the run.
    saving = saving.then(() =>
      pool.query(`UPDATE meter_runs SET progress = $3::jsonb WHERE id = $1 AND worker_id = $2 AND status = 'running'`, [runId, workerId, JSON.stringify(latest)]).catch(() => undefined),
    );
  };

  const onRecordErrors = async (errors: RecordError[]) => {
    if (errors.length === 0) return;
    const keep = errors.slice(0, Math.max(0, MAX_KEPT_RECORD_ERRORS - kept));
    kept += keep.length;
    await inTransaction(pool, async (client) => {
      if (keep.length) {
        await client.query(
          `INSERT INTO meter_run_errors (run_id, node_id, reason, record)
           SELECT $1, node_id, reason, record FROM unnest($2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS e(node_id, reason, record, i) ORDER BY i`,
          // A record error is often about text PostgreSQL refuses (a NUL): kept with it replaced, not lost with the run.
          [runId, keep.map((e) => e.nodeId), keep.map((e) => storableText(e.reason)), keep.map((e) => storableJson(e.record))],
        );
      }
      await client.query(`UPDATE meter_runs SET error_count = error_count + $2 WHERE id = $1`, [runId, errors.length]);
    });
  };

  /** Waits for the write in flight; returns the latest snapshot (for the final write). */
  const settle = async () => {
    await saving;
    return latest;
  };

  return { onProgress, onRecordErrors, settle };
}
