import { z } from 'zod';
import { compile } from '@/lib/expressions';
import { expressionSchemaOf, type FlowRecord } from '@/lib/meters/flow-schema';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { checkExpression } from '@/lib/meters/kinds/node-problems';

export const MAX_EXPRESSION = 4000;
export const expressionSourceSchema = (what: string) =>
  z
    .string({ error: `Write ${what}.` })
    .trim()
    .min(1, `Write ${what}.`)
    .max(MAX_EXPRESSION, `Keep expressions to ${MAX_EXPRESSION.toLocaleString('en')} characters or fewer.`);

export const filterConfigSchema = z.object({ condition: expressionSourceSchema('a condition, e.g. units > 0') });
/** Keeps the records for which `condition` (a boolean expression over the incoming fields) is true. */
export type FilterConfig = z.output<typeof filterConfigSchema>;

export const filterSpec: NodeKindSpec<FilterConfig> = {
  kind: 'processor.filter',
  category: 'processor',
  label: KIND_LABELS['processor.filter'],
  description: 'Keeps only the records for which a condition is true.',
  keywords: ['where', 'condition', 'if', 'keep', 'exclude', 'drop'],
  configSchema: filterConfigSchema,
  defaultConfig: () => ({ condition: '' }),
  inputs: 1,
  outputs: 1,
  outputSchema: (_config, input) => input,
  check: (config, input, _context, node) => checkExpression(node, config.condition, input, ['condition'], 'the condition', { requireBoolean: true }).problems,
  storeRefs: () => [],
  summary: (config) => config.condition || 'No condition',
  createProcessor: (config, input) => {
    const test = compile(config.condition, expressionSchemaOf(input));
    return {
      push: (records) => {
        const kept: FlowRecord[] = [];
        for (const record of records) if (test(record) === true) kept.push(record);
        return { records: kept, rejected: [] };
      },
      flush: () => ({ records: [], rejected: [] }),
    };
  },
};
