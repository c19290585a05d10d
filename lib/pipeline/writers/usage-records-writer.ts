import type pg from 'pg';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import { lastWins } from '@/lib/pipeline/writers/last-wins';
import { zeroTargetCounts, type TargetWriter, type TargetWriterFactory } from '@/lib/pipeline/writers/target-writer';
import type { TargetCounts } from '@/lib/runs/types';

/** Whose usage records a writer writes: the run's workspace and meter; `runId` marks the rows it wrote last. */
export interface UsageRecordsScope {
  workspaceId: string;
  meterId: string;
  runId: string;
}

export const usageKeyOf = (record: FlowRecord) => String(record.uniqueKey);
const optionalText = (value: unknown) => (value === undefined || value === null ? null : String(value));

/**
 * The batch as one array per column, in unique_key order (so two writers take their row locks in one order).
 * Quantities travel as text: `String(n)` is the shortest text that reads back as the same double, and
 * numeric parses it exactly.
 */
export function usageColumns(keys: string[], records: FlowRecord[]) {
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  const column = (f: (r: FlowRecord) => unknown) => order.map((i) => f(records[i]!));
  return [
    column((r) => usageKeyOf(r)),
    column((r) => String(r.accountNumber)),
    column((r) => optionalText(r.subscriptionNumber)),
    column((r) => optionalText(r.chargeNumber)),
    column((r) => String(r.unitOfMeasure)),
    column((r) => String(r.quantity)),
    column((r) => String(r.startDateTime)),
    column((r) => String(r.endDateTime)),
  ];
}

/** `FROM` clause of a batch sent as usageColumns, parameters $N.. onward, alias b. */
export const usageBatch = (first: number) => {
  const p = (i: number) => `$${first + i}`;
  return `unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::numeric[], ${p(6)}::timestamptz[], ${p(7)}::timestamptz[])
            AS b(unique_key, account_number, subscription_number, charge_number, unit_of_measure, quantity, start_date_time, end_date_time)`;
};

/**
 * Writes usage records with one set-based upsert per batch, keyed (workspace_id, meter_id, unique_key):
 * a record whose key exists replaces it (and takes this run's id and a new updated_at), so a replay leaves
 * the table as one run left it. A key repeated within a batch: the last record wins, and the earlier ones
 * count as replaced. One statement, so a batch lands whole or not at all.
 */
export async function upsertUsageRecords(pool: pg.Pool, scope: UsageRecordsScope, records: FlowRecord[]): Promise<TargetCounts> {
  const counts = zeroTargetCounts();
  if (!records.length) return counts;
  const batch = lastWins(records, usageKeyOf);
  const { rows } = await pool.query<{ inserted: number; replaced: number }>(
    `WITH upserted AS (
       INSERT INTO usage_records (workspace_id, meter_id, run_id, unique_key, account_number, subscription_number, charge_number,
                                  unit_of_measure, quantity, start_date_time, end_date_time, created_at, updated_at)
       SELECT $1::uuid, $2::uuid, $3::uuid, b.*, now(), now() FROM ${usageBatch(4)}
       ON CONFLICT (workspace_id, meter_id, unique_key) DO UPDATE SET
         run_id = EXCLUDED.run_id, account_number = EXCLUDED.account_number, subscription_number = EXCLUDED.subscription_number,
         charge_number = EXCLUDED.charge_number, unit_of_measure = EXCLUDED.unit_of_measure, quantity = EXCLUDED.quantity,
         start_date_time = EXCLUDED.start_date_time, end_date_time = EXCLUDED.end_date_time, updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS inserted)
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS replaced FROM upserted`,
    [scope.workspaceId, scope.meterId, scope.runId, ...usageColumns(batch.keys, batch.records)],
  );
  counts.inserted = rows[0]!.inserted;
  counts.replaced = rows[0]!.replaced + batch.repeats;
  return counts;
}

/** The Usage records target of a real run. */
export function createUsageRecordsWriter(pool: pg.Pool, scope: UsageRecordsScope): TargetWriter {
  return {
    write: (records) => upsertUsageRecords(pool, scope, records),
    samples: () => [],
    close: async () => undefined,
  };
}

/** The Usage records target of a real run: the run's workspace and meter, rows marked with its id. */
export const usageRecordsWriterFactory: TargetWriterFactory = (_node, run, deps) =>
  createUsageRecordsWriter(deps.pool, { workspaceId: run.workspaceId, meterId: run.meterId, runId: run.id });
