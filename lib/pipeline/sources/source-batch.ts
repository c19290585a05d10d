import type { FlowRecord } from '@/lib/meters/flow-schema';

/** One batch a source hands the engine. */
export interface SourceBatch {
  /** Each source node's records of this batch, by node id. */
  records: Map<string, FlowRecord[]>;
  /** Source events read for this batch (a store's event counts once however many source nodes read it). */
  read: number;
  /** Records a source refused before any node saw them (a file line that is not JSON), by source node id. */
  unreadable?: { nodeId: string; reason: string; record: FlowRecord }[];
  /** Called once this batch's writes are done (the ingest buffer deletes the rows it took). */
  written?: () => Promise<void>;
}

/** Batches in source order; ending the iteration early (break, throw) releases what the source holds. */
export type RecordSource = AsyncIterable<SourceBatch>;

/** Records per batch for sources that choose their own batch size (file, ingest buffer). */
export const SOURCE_BATCH_SIZE = 5_000;
