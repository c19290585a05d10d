import type pg from 'pg';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import { eventStoreTargetConfigSchema } from '@/lib/meters/kinds/target-event-store';
import { lastWins } from '@/lib/pipeline/writers/last-wins';
import { zeroTargetCounts, type TargetWriter, type TargetWriterFactory } from '@/lib/pipeline/writers/target-writer';
import { usageBatch, usageColumns, usageKeyOf } from '@/lib/pipeline/writers/usage-records-writer';
import type { DryRunChange } from '@/lib/runs/types';

/** Sample changes kept per target of a dry run. */
export const MAX_DRY_RUN_SAMPLES = 20;

/**
 * How one target kind compares a batch with what is stored. `statement` takes `params(keys, records)` then
 * the number of samples still wanted (as the last parameter, `$n`), and answers one row per key of the
 * batch, in batch order: its change ('insert' | 'replace' | 'unchanged') and, for the first `$n` changes,
 * the stored record before (null for a key first written earlier in this run). It also remembers the
 * batch's changes in the session's `dry_run_overlay`, which it consults before the store.
 */
interface DryRunComparison {
  keyOf: (record: FlowRecord) => string;
  overlay: string;
  statement: string;
  params: (keys: string[], records: FlowRecord[]) => unknown[];
}

/** The shared tail of both statements: `cmp (ord, key, change, before)` in, rows and the overlay update out. */
const answer = (samplesParam: string) => `
  SELECT key, change,
         CASE WHEN change <> 'unchanged' AND row_number() OVER (PARTITION BY change = 'unchanged' ORDER BY ord) <= ${samplesParam} THEN before END AS before
    FROM cmp ORDER BY ord`;

/**
 * Event Store targets: the key is the event id (the definition's id field), compared with the store's
 * event_time and payload (jsonb equality, so key order does not matter). The overlay keeps a fingerprint
 * (md5 of jsonb's canonical text), not the payload, to stay small.
 */
function eventStoreComparison(storeId: string, idField: string, timeField: string): DryRunComparison {
  return {
    keyOf: (record) => String(record[idField]),
    overlay: 'CREATE TEMP TABLE dry_run_overlay (key text PRIMARY KEY, event_time timestamptz NOT NULL, fingerprint text NOT NULL)',
    params: (keys, records) => [storeId, keys, records.map((r) => String(r[timeField])), records.map((r) => JSON.stringify(r))],
    statement: `
      WITH b AS (SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::jsonb[]) WITH ORDINALITY AS b(key, event_time, payload, ord)),
      cmp AS (
        SELECT b.ord, b.key, b.event_time, md5(b.payload::text) AS fingerprint,
               CASE WHEN o.key IS NOT NULL THEN CASE WHEN o.event_time = b.event_time AND o.fingerprint = md5(b.payload::text) THEN 'unchanged' ELSE 'replace' END
                    WHEN e.event_id IS NOT NULL THEN CASE WHEN e.event_time = b.event_time AND e.payload = b.payload THEN 'unchanged' ELSE 'replace' END
                    ELSE 'insert' END AS change,
               CASE WHEN o.key IS NULL THEN e.payload END AS before
          FROM b LEFT JOIN dry_run_overlay o ON o.key = b.key
                 LEFT JOIN events e ON o.key IS NULL AND e.store_id = $1::uuid AND e.event_id = b.key),
      remembered AS (
        INSERT INTO dry_run_overlay SELECT key, event_time, fingerprint FROM cmp WHERE change <> 'unchanged'
        ON CONFLICT (key) DO UPDATE SET event_time = EXCLUDED.event_time, fingerprint = EXCLUDED.fingerprint)
      ${answer('$5')}`,
  };
}

const USAGE_COLUMNS = ['account_number', 'subscription_number', 'charge_number', 'unit_of_measure', 'quantity', 'start_date_time', 'end_date_time'];
/** The compared columns of one side as a row value: `row(b.account_number, …)`. */
const usageRow = (alias: string) => `row(${USAGE_COLUMNS.map((c) => `${alias}.${c}`).join(', ')})`;

/**
 * Usage records: the key is the unique key within the run's meter, compared column by column (numeric
 * and time equality, so 1.5 equals 1.50). The before sample is the stored row as a usage record.
 */
function usageRecordsComparison(workspaceId: string, meterId: string): DryRunComparison {
  const utc = (column: string) => `to_char(u.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return {
    keyOf: usageKeyOf,
    overlay: 'CREATE TEMP TABLE dry_run_overlay (key text PRIMARY KEY, fingerprint text NOT NULL)',
    params: (keys, records) => [workspaceId, meterId, ...usageColumns(keys, records)],
    statement: `
      WITH b AS (SELECT *, row_number() OVER () AS ord FROM ${usageBatch(3)}),
      cmp AS (
        SELECT b.ord, b.unique_key AS key, md5(${usageRow('b')}::text) AS fingerprint,
               CASE WHEN o.key IS NOT NULL THEN CASE WHEN o.fingerprint = md5(${usageRow('b')}::text) THEN 'unchanged' ELSE 'replace' END
                    WHEN u.id IS NOT NULL THEN CASE WHEN ${usageRow('u')} IS NOT DISTINCT FROM ${usageRow('b')} THEN 'unchanged' ELSE 'replace' END
                    ELSE 'insert' END AS change,
               CASE WHEN o.key IS NULL AND u.id IS NOT NULL THEN jsonb_strip_nulls(jsonb_build_object(
                 'accountNumber', u.account_number, 'subscriptionNumber', u.subscription_number, 'chargeNumber', u.charge_number,
                 'unitOfMeasure', u.unit_of_measure, 'quantity', u.quantity, 'startDateTime', ${utc('start_date_time')},
                 'endDateTime', ${utc('end_date_time')}, 'uniqueKey', u.unique_key)) END AS before
          FROM b LEFT JOIN dry_run_overlay o ON o.key = b.unique_key
                 LEFT JOIN usage_records u ON o.key IS NULL AND u.workspace_id = $1::uuid AND u.meter_id = $2::uuid AND u.unique_key = b.unique_key),
      remembered AS (
        INSERT INTO dry_run_overlay SELECT key, fingerprint FROM cmp WHERE change <> 'unchanged'
        ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint)
      ${answer('$11')}`,
  };
}

/**
 * A dry-run target that writes nothing to it: each batch is compared with what is stored and counted as
 * would-be inserts, replaces and unchanged records, with the first MAX_DRY_RUN_SAMPLES changes kept.
 *
 * Repeats within the run (a key written by an earlier batch): a real run would replace its own earlier
 * record, so the dry run must compare with that, not with the store. Keeping every key seen in the
 * worker's memory would grow with the scope; instead the writer holds one connection for the run and
 * remembers each change in a session-local temporary table (`dry_run_overlay`: key and a fingerprint, on
 * PostgreSQL's disk, not in the worker), which the comparison consults before the store. Keys that are
 * unchanged are not remembered (a repeat compares with the store again, with the same answer). Within a
 * batch, the last record of a key stands for it and the earlier ones count as replaced, as the real
 * writers count them. The connection is discarded at close, which drops the table with it.
 */
export function createComparingDryRunWriter(pool: pg.Pool, comparison: DryRunComparison): TargetWriter {
  const samples: DryRunChange[] = [];
  let client: Promise<pg.PoolClient> | null = null;
  const session = () =>
    (client ??= pool.connect().then(async (c) => {
      try {
        await c.query(comparison.overlay);
        return c;
      } catch (error) {
        c.release(true);
        throw error;
      }
    }));
  return {
    async write(records) {
      const counts = zeroTargetCounts();
      if (!records.length) return counts;
      const batch = lastWins(records, comparison.keyOf);
      const wanted = MAX_DRY_RUN_SAMPLES - samples.length;
      const { rows } = await (await session()).query<{ key: string; change: 'insert' | 'replace' | 'unchanged'; before: FlowRecord | null }>(
        comparison.statement,
        [...comparison.params(batch.keys, batch.records), wanted],
      );
      const afterByKey = new Map(batch.keys.map((key, i) => [key, batch.records[i]!]));
      for (const row of rows) {
        if (row.change === 'insert') counts.inserted++;
        else if (row.change === 'replace') counts.replaced++;
        else counts.unchanged++;
        if (row.change !== 'unchanged' && samples.length < MAX_DRY_RUN_SAMPLES) {
          samples.push({ change: row.change, key: row.key, ...(row.before ? { before: row.before } : {}), after: afterByKey.get(row.key)! });
        }
      }
      counts.replaced += batch.repeats;
      return counts;
    },
    samples: () => samples,
    async close() {
      const held = client;
      client = null;
      if (held) (await held.catch(() => null))?.release(true);
    },
  };
}

/** A dry-run Webhook sends nothing: every record counts as sent, the first ones are the samples. */
export function createDryRunWebhookWriter(): TargetWriter {
  const samples: DryRunChange[] = [];
  let seen = 0;
  return {
    async write(records) {
      for (const record of records) {
        seen++;
        if (samples.length < MAX_DRY_RUN_SAMPLES) samples.push({ change: 'insert', key: `#${seen}`, after: record });
      }
      return { inserted: 0, replaced: 0, unchanged: 0, sent: records.length };
    },
    samples: () => samples,
    close: async () => undefined,
  };
}

/** The dry-run writer of any target node: compares with the target store or usage records, or counts webhook sends. */
export const dryRunWriterFactory: TargetWriterFactory = (node, run, deps) => {
  switch (node.kind) {
    case 'target.eventStore': {
      const { storeId } = eventStoreTargetConfigSchema.parse(node.config ?? {});
      const store = run.context.stores.get(storeId);
      if (!store) throw new Error(`The event store ${storeId} of node ${node.id} is not in the run's context.`);
      return createComparingDryRunWriter(deps.pool, eventStoreComparison(storeId, store.definition.eventIdField, store.definition.eventTimeField));
    }
    case 'target.usageRecords':
      return createComparingDryRunWriter(deps.pool, usageRecordsComparison(run.workspaceId, run.meterId));
    case 'target.webhook':
      return createDryRunWebhookWriter();
    default:
      throw new Error(`Node ${node.id} (${node.kind}) is not a target.`);
  }
};
