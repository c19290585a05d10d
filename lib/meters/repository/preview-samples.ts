import { getPool } from '@/lib/db/pool';
import { scanEvents } from '@/lib/event-store/scan-events';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import type { MeterGraph } from '@/lib/meters/graph';
import type { MeterContext } from '@/lib/meters/kind-spec';
import { eventTypeOf } from '@/lib/meters/kinds/source-business-events';
import { latestBusinessEvents } from '@/lib/pipeline/sources/business-events-source';

/** A preview runs on at most this many records per source. */
export const MAX_SAMPLE_ROWS = 1_000;
/** The browser's samples (a file's first rows) may weigh at most this much, all sources together. */
export const MAX_SAMPLE_BYTES = 512 * 1024;

/**
 * The records each source node previews with: the newest MAX_SAMPLE_ROWS events of an Event Store
 * source's store or of a Business Events source's type in `workspaceId` (keyset scan, then put back in
 * event-time order, the order processors expect), and the browser's rows for the other sources (a file's
 * first rows), capped. Browser samples for those two or unknown nodes are ignored: the server reads them itself.
 */
export async function loadPreviewSamples(workspaceId: string, graph: MeterGraph, context: MeterContext, fromBrowser: Record<string, FlowRecord[]> = {}): Promise<Record<string, FlowRecord[]>> {
  const samples: Record<string, FlowRecord[]> = {};
  await Promise.all(
    graph.nodes.map(async (node) => {
      if (node.kind === 'source.eventStore') {
        const storeId = (node.config as { storeId?: unknown } | undefined)?.storeId;
        if (typeof storeId !== 'string' || !context.stores.has(storeId)) return;
        const { rows } = await scanEvents(getPool(), storeId, { direction: 'desc', limit: MAX_SAMPLE_ROWS });
        samples[node.id] = rows.reverse().map((row) => row.payload);
      } else if (node.kind === 'source.businessEvents') {
        const type = eventTypeOf(String((node.config as { eventType?: unknown } | undefined)?.eventType ?? ''), context);
        if (type) samples[node.id] = await latestBusinessEvents(getPool(), workspaceId, type, MAX_SAMPLE_ROWS);
      } else if (node.kind.startsWith('source.') && fromBrowser[node.id]) {
        samples[node.id] = fromBrowser[node.id]!.slice(0, MAX_SAMPLE_ROWS);
      }
    }),
  );
  return samples;
}
