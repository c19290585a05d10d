import type { MeterGraph } from '@/lib/meters/graph';

/**
 * How a meter is run, from its sources: Event Store and Business Events sources take a data scope (all time or a
 * time frame over event time, resp. change time; mode `eventStore` stands for "a data scope"), a
 * File-upload source takes a file, an HTTP-ingest source is started and stopped. Null: nothing to run (no
 * source, or never saved). A meter mixing kinds is shown the first source's way; the run action refuses
 * the scope that does not fit, with its own message.
 */
export type RunMode = 'eventStore' | 'file' | 'live';

const MODES: Partial<Record<MeterGraph['nodes'][number]['kind'], RunMode>> = {
  'source.eventStore': 'eventStore',
  'source.fileUpload': 'file',
  'source.httpIngest': 'live',
  'source.businessEvents': 'eventStore',
};

export function runModeOf(graph: Pick<MeterGraph, 'nodes'> | null | undefined): RunMode | null {
  for (const node of graph?.nodes ?? []) {
    const mode = MODES[node.kind];
    if (mode) return mode;
  }
  return null;
}
