import type { RecordProcessor } from '@/lib/meters/kind-spec';

/** A processor that lets every record through unchanged (Event Store sources, webhooks). */
export const passThrough = (): RecordProcessor => ({
  push: (records) => ({ records, rejected: [] }),
  flush: () => ({ records: [], rejected: [] }),
});
