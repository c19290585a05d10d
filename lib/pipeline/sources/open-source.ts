import { AppError } from '@/lib/errors';
import type { BusinessEventsSourceConfig } from '@/lib/meters/kinds';
import type { CompiledPipeline } from '@/lib/pipeline/compile-pipeline';
import { businessEventsSource, type BusinessEventSourceNode, type BusinessEventsSourceOptions } from '@/lib/pipeline/sources/business-events-source';
import { eventStoreSource, type EventStoreSourceOptions } from '@/lib/pipeline/sources/event-store-source';
import { fileSource, type FileSourceNode } from '@/lib/pipeline/sources/file-source';
import { ingestBufferSource, type IngestBufferOptions } from '@/lib/pipeline/sources/ingest-buffer-source';
import type { RecordSource } from '@/lib/pipeline/sources/source-batch';
import type { PipelineDeps, PipelineRun } from '@/lib/pipeline/types';

export interface SourceOptions {
  eventStore?: EventStoreSourceOptions;
  businessEvents?: BusinessEventsSourceOptions;
  ingestBuffer?: IngestBufferOptions;
  /** Records per batch of the file and ingest-buffer sources. */
  batchSize?: number;
}

/**
 * The source a run's scope reads: `all` and `frame` the Business Events sources (over change time), or else the
 * Event Store sources (over event time), `file` the uploaded file for the File upload sources, `live` the HTTP
 * ingest buffer. Source nodes of other kinds give nothing in that run.
 */
export function openSource(run: PipelineRun, pipeline: CompiledPipeline, deps: PipelineDeps, options: SourceOptions = {}): RecordSource {
  const sources = pipeline.nodes.filter((n) => n.category === 'source');
  const scope = run.scope;
  switch (scope.kind) {
    case 'all':
    case 'frame': {
      const range = scope.kind === 'frame' ? { from: new Date(scope.from), to: new Date(scope.to) } : {};
      // A run reads one kind of source (runShapeOf refuses a mix): business events, or else the Event Stores.
      const businessEventNodes = sources.filter((n) => n.node.kind === 'source.businessEvents').map((n) => businessEventNode(n.id, n.config, run));
      if (businessEventNodes.length) return businessEventsSource(deps.pool, run.workspaceId, businessEventNodes, range, options.businessEvents);
      const nodes = sources.filter((n) => n.node.kind === 'source.eventStore').map((n) => ({ nodeId: n.id, storeId: (n.config as { storeId: string }).storeId }));
      return eventStoreSource(deps.pool, nodes, range, options.eventStore);
    }
    case 'file': {
      if (!deps.file) throw new Error(`Run ${run.id} reads a file, but its file was not handed to the engine.`);
      const nodes = sources.filter((n) => n.node.kind === 'source.fileUpload').map((n) => ({ nodeId: n.id, format: (n.config as { format: FileSourceNode['format'] }).format }));
      return fileSource(deps.file, nodes, options.batchSize);
    }
    case 'live': {
      const nodeIds = sources.filter((n) => n.node.kind === 'source.httpIngest').map((n) => n.id);
      return ingestBufferSource(deps.pool, run.meterId, nodeIds, deps.signal, { ...options.ingestBuffer, batchSize: options.batchSize });
    }
  }
}

/** A Business Events source node with the object of its type (the run's meter was validated: the type exists). */
function businessEventNode(nodeId: string, config: unknown, run: PipelineRun): BusinessEventSourceNode {
  const { eventType } = config as BusinessEventsSourceConfig;
  const type = run.context.eventTypes?.get(eventType);
  if (!type) throw new AppError('EVENT_TYPE_NOT_FOUND', `There is no business event type “${eventType}” in this workspace any more; choose another in the meter's Business Events source.`, { status: 422 });
  return { nodeId, eventType, object: type.object };
}
