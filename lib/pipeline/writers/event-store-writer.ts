import { appendEvents } from '@/lib/event-store/append-events';
import type { ValidEvent } from '@/lib/event-store/record-validation';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { MeterNode } from '@/lib/meters/graph';
import { eventStoreTargetConfigSchema } from '@/lib/meters/kinds/target-event-store';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';
import type { TargetWriter } from '@/lib/pipeline/writers/target-writer';

/**
 * A real run's Event Store target: each batch of the target processor's records (payloads already shaped
 * and checked against the store's definition) is one `appendEvents` COPY upsert under the run's lease on
 * the store. The event id comes from the mapping, a pure function of the record, so running the same scope
 * again replaces the same events instead of adding them. A lost lease fails the batch with LEASE_LOST and
 * nothing of it is written; the engine stops there.
 */
export function eventStoreWriter(node: MeterNode, run: PipelineRun, deps: PipelineDeps): TargetWriter {
  const { storeId } = eventStoreTargetConfigSchema.parse(node.config);
  const store = run.context.stores.get(storeId);
  if (!store) throw new Error(`The event store ${storeId} of target ${node.id} is not in the run's context.`);
  const lease = deps.leases.get(storeId);
  if (!lease) throw new Error(`Run ${run.id} holds no lease on the event store “${store.name}”; a real run writes only under its lease.`);
  const { eventIdField, eventTimeField } = store.definition;
  const toEvent = (payload: FlowRecord): ValidEvent => ({
    eventId: String(payload[eventIdField]),
    eventTime: new Date(payload[eventTimeField] as string),
    payload,
  });
  // Replaying into new territory, a batch goes in by plain COPY (appendEvents' expectNew). Once one finds ids
  // stored already (a second run over the scope), the upsert takes the next batches, until one of them finds
  // every id new again: neither kind of run pays twice for a batch for long.
  let expectNew = true;
  return {
    async write(records) {
      const { inserted, written } = await appendEvents(deps.pool, storeId, records.map(toEvent), { lease, expectNew });
      expectNew = inserted === written;
      // A record whose id came earlier in the same batch replaced that one (the last wins), as in the other writers.
      return { inserted, replaced: records.length - inserted, unchanged: 0, sent: 0 };
    },
    samples: () => [],
    close: async () => undefined,
  };
}
