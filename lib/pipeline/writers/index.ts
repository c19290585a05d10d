import type { TargetWriterFactory } from '@/lib/pipeline/writers/target-writer';
import { eventStoreWriter } from '@/lib/pipeline/writers/event-store-writer';

/**
 * The writer of a target node for a run: one case per target kind and mode. A kind without a writer yet is
 * refused with a clear error before anything is read or written.
 */
export const createTargetWriter: TargetWriterFactory = (node, run, deps) => {
  switch (node.kind) {
    case 'target.eventStore':
      if (!run.dryRun) return eventStoreWriter(node, run, deps);
      break;
  }
  throw new Error(`No ${run.dryRun ? 'dry-run ' : ''}writer for target kind ${node.kind} (node ${node.id}) yet.`);
};
