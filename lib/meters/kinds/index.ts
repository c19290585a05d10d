import type { NodeKind } from '@/lib/meters/graph';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { aggregateSpec, type AggregateConfig } from '@/lib/meters/kinds/processor-aggregate';
import { deduplicateSpec, type DeduplicateConfig } from '@/lib/meters/kinds/processor-deduplicate';
import { filterSpec, type FilterConfig } from '@/lib/meters/kinds/processor-filter';
import { mapSpec, type MapConfig } from '@/lib/meters/kinds/processor-map';
import { businessEventsSourceSpec, type BusinessEventsSourceConfig } from '@/lib/meters/kinds/source-business-events';
import { eventStoreSourceSpec, type EventStoreSourceConfig } from '@/lib/meters/kinds/source-event-store';
import { fileUploadSourceSpec, type FileUploadConfig } from '@/lib/meters/kinds/source-file-upload';
import { httpIngestSourceSpec, type HttpIngestConfig } from '@/lib/meters/kinds/source-http-ingest';
import { eventStoreTargetSpec, type EventStoreTargetConfig } from '@/lib/meters/kinds/target-event-store';
import { usageRecordsTargetSpec, type UsageRecordsTargetConfig } from '@/lib/meters/kinds/target-usage-records';
import { webhookTargetSpec, type WebhookConfig } from '@/lib/meters/kinds/target-webhook';

export type { AggregateConfig, BusinessEventsSourceConfig, DeduplicateConfig, EventStoreSourceConfig, EventStoreTargetConfig, FileUploadConfig, FilterConfig, HttpIngestConfig, MapConfig, UsageRecordsTargetConfig, WebhookConfig };
export { KIND_LABELS, nodeName } from '@/lib/meters/kinds/labels';
export { suggestMapping } from '@/lib/meters/kinds/target-mapping';
export { USAGE_RECORD_FIELDS, type UsageRecordField } from '@/lib/meters/kinds/target-usage-records';

/** Each kind's config type, by kind id. */
export interface ConfigByKind {
  'source.eventStore': EventStoreSourceConfig;
  'source.fileUpload': FileUploadConfig;
  'source.httpIngest': HttpIngestConfig;
  'source.businessEvents': BusinessEventsSourceConfig;
  'processor.filter': FilterConfig;
  'processor.map': MapConfig;
  'processor.deduplicate': DeduplicateConfig;
  'processor.aggregate': AggregateConfig;
  'target.eventStore': EventStoreTargetConfig;
  'target.usageRecords': UsageRecordsTargetConfig;
  'target.webhook': WebhookConfig;
}
export type ConfigOf<K extends NodeKind> = ConfigByKind[K];

/**
 * The registry: one entry per node kind, in palette order. Adding a kind means one file in this folder,
 * one entry here (the mapped type makes the compiler ask for it), and its panel in components/meters/panels.
 */
export const NODE_KIND_SPECS: { readonly [K in NodeKind]: NodeKindSpec<ConfigOf<K>> } = {
  'source.eventStore': eventStoreSourceSpec,
  'source.fileUpload': fileUploadSourceSpec,
  'source.httpIngest': httpIngestSourceSpec,
  'source.businessEvents': businessEventsSourceSpec,
  'processor.filter': filterSpec,
  'processor.map': mapSpec,
  'processor.deduplicate': deduplicateSpec,
  'processor.aggregate': aggregateSpec,
  'target.eventStore': eventStoreTargetSpec,
  'target.usageRecords': usageRecordsTargetSpec,
  'target.webhook': webhookTargetSpec,
};

/** The spec of a kind: typed by its config for one known kind, loosely (unknown config) for any node's kind. */
export function specOf<K extends NodeKind>(kind: K): NodeKind extends K ? NodeKindSpec<unknown> : NodeKindSpec<ConfigOf<K>> {
  return NODE_KIND_SPECS[kind] as never;
}
