import { z } from 'zod';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { conformingProcessor } from '@/lib/meters/kinds/conform-records';
import { flowFieldsSchema } from '@/lib/meters/kinds/field-types';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { configError } from '@/lib/meters/kinds/node-problems';

export const FILE_FORMATS = ['csv', 'json', 'ndjson'] as const;

export const fileUploadConfigSchema = z.object({
  fileName: z.string({ error: 'Enter the file’s name.' }).max(255, 'Keep the file name to 255 characters or fewer.').default(''),
  format: z.enum(FILE_FORMATS, { error: 'Choose the file’s format: CSV, JSON or NDJSON.' }).default('csv'),
  fields: flowFieldsSchema.default([]),
});
/** The records' schema is inferred from the file's first rows, then editable. */
export type FileUploadConfig = z.output<typeof fileUploadConfigSchema>;

export const fileUploadSourceSpec: NodeKindSpec<FileUploadConfig> = {
  kind: 'source.fileUpload',
  category: 'source',
  label: KIND_LABELS['source.fileUpload'],
  description: 'Records from a CSV, JSON or NDJSON file, with its schema inferred and editable.',
  keywords: ['file', 'csv', 'json', 'ndjson', 'upload', 'import'],
  configSchema: fileUploadConfigSchema,
  defaultConfig: () => ({ fileName: '', format: 'csv', fields: [] }),
  inputs: 0,
  outputs: 1,
  outputSchema: (config) => ({ fields: config.fields }),
  check: (config, _input, _context, node) =>
    config.fields.length ? [] : [configError(node, 'choose a file so its fields can be read, or add the fields by hand.', ['fields'])],
  storeRefs: () => [],
  summary: (config) => config.fileName || 'No file chosen',
  createProcessor: (config) => conformingProcessor(config.fields, config.format === 'csv'),
};
