import type { CompiledPipeline } from '@/lib/pipeline/compile-pipeline';
import { eventStoreSource, type EventStoreSourceOptions } from '@/lib/pipeline/sources/event-store-source';
import type { RecordSource } from '@/lib/pipeline/sources/source-batch';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';

export interface SourceOptions {
  eventStore?: EventStoreSourceOptions;
}

/**
 * The source a run's scope reads: `all` and `frame` the Event Store sources, `file` the uploaded file for the
 * File upload sources, `live` the HTTP ingest buffer. Source nodes of other kinds give nothing in that run.
 */
export function openSource(run: PipelineRun, pipeline: CompiledPipeline, deps: PipelineDeps, options: SourceOptions = {}): RecordSource {
  const sources = pipeline.nodes.filter((n) => n.category === 'source');
  const scope = run.scope;
  switch (scope.kind) {
    case 'all':
    case 'frame': {
      const nodes = sources.filter((n) => n.node.kind === 'source.eventStore').map((n) => ({ nodeId: n.id, storeId: (n.config as { storeId: string }).storeId }));
      const range = scope.kind === 'frame' ? { from: new Date(scope.from), to: new Date(scope.to) } : {};
      return eventStoreSource(deps.pool, nodes, range, options.eventStore);
    }
    case 'file':
    case 'live':
      throw new Error(`The ${scope.kind} scope is not supported yet.`);
  }
}
