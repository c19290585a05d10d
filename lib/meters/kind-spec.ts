import type { z } from 'zod';
import type { FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterNode, NodeCategory, NodeKind } from '@/lib/meters/graph';
import type { MeterProblem } from '@/lib/meters/problems';

/** An event store as a meter sees it: enough to offer it, type its records and check mappings onto it. */
export interface MeterStoreInfo {
  id: string;
  name: string;
  definition: {
    id: string;
    name: string;
    version: number;
    fields: { name: string; type: FlowSchema['fields'][number]['type']; required: boolean; description?: string }[];
    eventIdField: string;
    eventTimeField: string;
  };
}

/** A business event type as a meter sees it: the trigger that makes it (one per type) and that trigger's base object. */
export interface MeterEventTypeInfo {
  eventType: string;
  /** The trigger's billing object (canonical name): its fields are the events' current and `_old` values. */
  object: string;
  active: boolean;
}

/** What validation and the processors may know beyond the graph: the workspace's stores. Built once per request. */
export interface MeterContext {
  stores: ReadonlyMap<string, MeterStoreInfo>;
  /**
   * The workspace's business event types (its triggers' event types), by type, for Business Events sources.
   * Absent where nobody loaded them: then the workspace is taken to have none.
   */
  eventTypes?: ReadonlyMap<string, MeterEventTypeInfo>;
  /**
   * The time frame a run reads (ISO instants; null = unbounded on that side), set by the engine from the
   * run's scope. Aggregates mark windows it cuts as partial. Absent in validation and preview.
   */
  scope?: { from: string | null; to: string | null };
}

export interface RejectedRecord {
  record: FlowRecord;
  reason: string;
}

export interface ProcessorOutput {
  records: FlowRecord[];
  rejected: RejectedRecord[];
}

/**
 * The function that runs and the preview both use: records in, records out, in batches. Stateless kinds
 * (Filter, Map) answer each push at once; stateful ones (Deduplicate, Aggregate) keep what they need
 * between pushes and give the rest at flush(). Input arrives in event-time order.
 */
export interface RecordProcessor {
  push(records: FlowRecord[]): ProcessorOutput;
  flush(): ProcessorOutput;
}

/** A store a node reads or writes, for the store rules and the meter_stores table. */
export interface StoreRef {
  storeId: string;
  role: 'source' | 'target';
}

/**
 * One entry of the registry (kinds/index.ts): everything about a node kind except its panel, which is
 * React and lives in components/meters/panels (a Record<NodeKind, …> there, so the compiler asks for a
 * panel when a kind is added here).
 */
export interface NodeKindSpec<C = unknown> {
  kind: NodeKind;
  category: NodeCategory;
  /** "Filter", shown in the palette and as the node's title when it has no label of its own. */
  label: string;
  /** One line for the palette and the quick-add. */
  description: string;
  /** Extra words the quick-add matches ("where", "condition" for Filter). */
  keywords: string[];
  /** Parses the saved config; its issues become CONFIG_INVALID problems at their paths. */
  configSchema: z.ZodType<C>;
  defaultConfig: () => C;
  /** 0 for sources; 1 otherwise (several edges may enter the one input port). */
  inputs: 0 | 1;
  /** 0 for targets; 1 otherwise. */
  outputs: 0 | 1;
  /** The schema of what leaves the node, from what enters it. Sources get an empty input. */
  outputSchema: (config: C, input: FlowSchema, context: MeterContext) => FlowSchema;
  /** Kind-specific problems (missing store, expression errors, incomplete mapping), with messages naming `node`. */
  check: (config: C, input: FlowSchema, context: MeterContext, node: MeterNode) => MeterProblem[];
  /** Stores the node reads or writes. */
  storeRefs: (config: C) => StoreRef[];
  /** A short summary for the node on the canvas ("units > 10", "→ api-calls-daily"). */
  summary: (config: C, context: MeterContext) => string;
  /** Processors and targets (targets shape records for their destination and reject those that do not fit). */
  createProcessor?: (config: C, input: FlowSchema, context: MeterContext) => RecordProcessor;
}
