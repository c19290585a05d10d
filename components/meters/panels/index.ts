import type { ComponentType } from 'react';
import type { NodeKind } from '@/lib/meters/graph';
import type { PanelProps } from '@/components/meters/panels/panel-props';
import { AggregatePanel } from '@/components/meters/panels/aggregate-panel';
import { DeduplicatePanel } from '@/components/meters/panels/deduplicate-panel';
import { FileUploadPanel } from '@/components/meters/panels/file-upload-panel';
import { FilterPanel } from '@/components/meters/panels/filter-panel';
import { HttpIngestPanel } from '@/components/meters/panels/http-ingest-panel';
import { MapPanel } from '@/components/meters/panels/map-panel';
import { BusinessEventsSourcePanel } from '@/components/meters/panels/source-business-events-panel';
import { EventStoreSourcePanel } from '@/components/meters/panels/source-event-store-panel';
import { EventStoreTargetPanel } from '@/components/meters/panels/target-event-store-panel';
import { UsageRecordsPanel } from '@/components/meters/panels/target-usage-records-panel';
import { WebhookPanel } from '@/components/meters/panels/webhook-panel';

export type { PanelProps } from '@/components/meters/panels/panel-props';
export { configForPanel } from '@/components/meters/panels/config-for-panel';

/**
 * Each node kind's configuration panel, shown by the canvas's side panel for the selected node. A record
 * over NodeKind, so adding a kind to the registry makes the compiler ask for its panel here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each panel takes its own kind's config; the side panel passes the parsed one
export const PANELS: { [K in NodeKind]: ComponentType<PanelProps<any>> } = {
  'source.eventStore': EventStoreSourcePanel,
  'source.fileUpload': FileUploadPanel,
  'source.httpIngest': HttpIngestPanel,
  'source.businessEvents': BusinessEventsSourcePanel,
  'processor.filter': FilterPanel,
  'processor.map': MapPanel,
  'processor.deduplicate': DeduplicatePanel,
  'processor.aggregate': AggregatePanel,
  'target.eventStore': EventStoreTargetPanel,
  'target.usageRecords': UsageRecordsPanel,
  'target.webhook': WebhookPanel,
};
