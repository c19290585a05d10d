import type { FlowField } from '@/lib/meters/flow-schema';

/**
 * The kinds' config shapes as the issue's contract gives them (common brief). Temporary: replaced by the
 * types lib/meters/kinds exports once the model lands, so the panels and the registry cannot drift apart.
 */
export interface EventStoreSourceConfig {
  storeId: string;
}
export interface FileUploadConfig {
  fileName: string;
  format: 'csv' | 'json' | 'ndjson';
  fields: FlowField[];
}
export interface HttpIngestConfig {
  fields: FlowField[];
}
export interface FilterConfig {
  condition: string;
}
export interface MapConfig {
  keep: 'all' | 'listed';
  fields: { name: string; expression: string }[];
  drop: string[];
  rename: { from: string; to: string }[];
}
export type DedupeUnit = 'minute' | 'hour' | 'day';
export interface DeduplicateConfig {
  keys: string[];
  timeField: string;
  window: { amount: number; unit: DedupeUnit };
}
export type WindowUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';
export type MeasureFn = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'uniqueCount' | 'latest';
export interface AggregateConfig {
  groupBy: string[];
  timeField: string;
  window: { amount: number; unit: WindowUnit };
  timeZone: string;
  measures: { name: string; fn: MeasureFn; field?: string }[];
}
export interface EventStoreTargetConfig {
  storeId: string;
  mapping: Record<string, string>;
}
export type UsageRecordField = 'accountNumber' | 'subscriptionNumber' | 'chargeNumber' | 'unitOfMeasure' | 'quantity' | 'startDateTime' | 'endDateTime' | 'uniqueKey';
export interface UsageRecordsConfig {
  mapping: Partial<Record<UsageRecordField, string>>;
}
export interface WebhookConfig {
  url: string;
  batchSize: number;
  secretHeader?: string;
}
