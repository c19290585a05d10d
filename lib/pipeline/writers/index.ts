import type { TargetWriterFactory } from '@/lib/pipeline/writers/target-writer';
import { dryRunWriterFactory } from '@/lib/pipeline/writers/dry-run-writers';
import { eventStoreWriter } from '@/lib/pipeline/writers/event-store-writer';
import { usageRecordsWriterFactory } from '@/lib/pipeline/writers/usage-records-writer';
import { webhookWriterFactory } from '@/lib/pipeline/writers/webhook-writer';

/**
 * The writer of a target node for a run: one case per target kind and mode. A dry run of any target kind
 * compares instead of writing (dry-run-writers.ts). A kind without a writer is refused with a clear error
 * before anything is read or written.
 */
export const createTargetWriter: TargetWriterFactory = (node, run, deps) => {
  if (run.dryRun) return dryRunWriterFactory(node, run, deps);
  switch (node.kind) {
    case 'target.eventStore':
      return eventStoreWriter(node, run, deps);
    case 'target.usageRecords':
      return usageRecordsWriterFactory(node, run, deps);
    case 'target.webhook':
      return webhookWriterFactory(node, run, deps);
  }
  throw new Error(`No writer for target kind ${node.kind} (node ${node.id}).`);
};
