import { z } from 'zod';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { conformingProcessor } from '@/lib/meters/kinds/conform-records';
import { flowFieldsSchema } from '@/lib/meters/kinds/field-types';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { configError } from '@/lib/meters/kinds/node-problems';

export const httpIngestConfigSchema = z.object({ fields: flowFieldsSchema.default([]) });
/** The schema of the records sent to the meter's endpoint (one endpoint per meter). */
export type HttpIngestConfig = z.output<typeof httpIngestConfigSchema>;

export const httpIngestSourceSpec: NodeKindSpec<HttpIngestConfig> = {
  kind: 'source.httpIngest',
  category: 'source',
  label: KIND_LABELS['source.httpIngest'],
  description: 'Records sent to this meter’s endpoint with an API key.',
  keywords: ['http', 'api', 'endpoint', 'rest', 'post', 'ingest', 'webhook in'],
  configSchema: httpIngestConfigSchema,
  defaultConfig: () => ({ fields: [] }),
  inputs: 0,
  outputs: 1,
  outputSchema: (config) => ({ fields: config.fields }),
  check: (config, _input, _context, node) => (config.fields.length ? [] : [configError(node, 'add the fields the records will carry.', ['fields'])]),
  storeRefs: () => [],
  summary: (config) => `${config.fields.length} field${config.fields.length === 1 ? '' : 's'}`,
  createProcessor: (config) => conformingProcessor(config.fields, false),
};
