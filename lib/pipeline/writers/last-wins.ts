import type { FlowRecord } from '@/lib/meters/flow-schema';

/**
 * Collapses a batch to the last record of each key (an upsert cannot touch one row twice in a statement),
 * keeping first-seen order otherwise. `repeats` counts the records that were replaced within the batch, so
 * writers can report them as replaces: a key seen again in a run replaces the earlier record.
 */
export function lastWins(records: FlowRecord[], keyOf: (record: FlowRecord) => string): { keys: string[]; records: FlowRecord[]; repeats: number } {
  const byKey = new Map<string, FlowRecord>();
  for (const record of records) {
    const key = keyOf(record);
    byKey.delete(key);
    byKey.set(key, record);
  }
  return { keys: [...byKey.keys()], records: [...byKey.values()], repeats: records.length - byKey.size };
}
