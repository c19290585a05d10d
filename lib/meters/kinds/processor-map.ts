import { z } from 'zod';
import { compile, type CompiledExpression } from '@/lib/expressions';
import { expressionSchemaOf, type FlowField, type FlowRecord, type FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterContext, NodeKindSpec } from '@/lib/meters/kind-spec';
import { fieldNameSchema, fieldTypeOf, findField } from '@/lib/meters/kinds/field-types';
import { analyzeFlow } from '@/lib/meters/kinds/analyze-flow';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { checkExpression, configError } from '@/lib/meters/kinds/node-problems';
import { expressionSourceSchema } from '@/lib/meters/kinds/processor-filter';
import type { MeterProblem } from '@/lib/meters/problems';

export const mapConfigSchema = z.object({
  keep: z.enum(['all', 'listed'], { error: 'Choose which fields to keep: all, or only the listed ones.' }).default('all'),
  fields: z
    .array(z.object({ name: fieldNameSchema, expression: expressionSourceSchema('an expression for this field, e.g. units * 2') }))
    .max(200, 'A Map can compute at most 200 fields.')
    .default([]),
  drop: z.array(z.string()).max(200).default([]),
  rename: z
    .array(z.object({ from: z.string().min(1, 'Choose the field to rename.'), to: fieldNameSchema }))
    .max(200)
    .default([]),
});
/**
 * Shapes each record. keep 'all' starts from every incoming field less `drop`; 'listed' starts from none.
 * Then `rename` renames incoming fields (a renamed field is kept in both modes), and `fields` adds computed
 * fields, each an expression over the incoming record (before renames); a computed field replaces an
 * incoming one of the same name. Output fields keep this order.
 */
export type MapConfig = z.output<typeof mapConfigSchema>;

interface Plan {
  /** Incoming fields that leave the node, under their output names (renamed or not). */
  copies: { to: string; field: FlowField }[];
  computed: { name: string; expression: string }[];
}

function planOf(config: MapConfig, input: FlowSchema): Plan {
  const lower = (names: string[]) => new Set(names.map((n) => n.toLowerCase()));
  const dropped = lower(config.drop);
  const renamed = new Map(config.rename.map((r) => [r.from.toLowerCase(), r.to]));
  const computed = lower(config.fields.map((f) => f.name));
  // Lengths first: lower-casing every incoming name of a wide flow is most of the cost.
  const lengths = new Set([...dropped, ...renamed.keys(), ...computed].map((n) => n.length));
  const copies: Plan['copies'] = [];
  for (const field of input.fields) {
    const key = lengths.has(field.name.length) ? field.name.toLowerCase() : '';
    const to = renamed.get(key) ?? (config.keep === 'all' && !dropped.has(key) ? field.name : undefined);
    if (to !== undefined && !(to === field.name ? computed.has(key) : computed.has(to.toLowerCase()))) copies.push({ to, field });
  }
  return { copies, computed: config.fields };
}

function outputSchema(config: MapConfig, input: FlowSchema): FlowSchema {
  const { copies, computed } = planOf(config, input);
  const fields: FlowField[] = copies.map(({ to, field }) => (to === field.name ? field : { ...field, name: to }));
  for (const { name, expression } of computed) fields.push({ name, type: fieldTypeOf(analyzeFlow(expression, input).type), required: false });
  return { fields };
}

function check(config: MapConfig, input: FlowSchema, _context: MeterContext, node: Parameters<typeof configError>[0]): MeterProblem[] {
  const problems: MeterProblem[] = [];
  const has = (name: string) => findField(input.fields, name) !== undefined;
  config.drop.forEach((name, i) => {
    if (!has(name)) problems.push(configError(node, `drops “${name}”, which does not reach this node. Remove it from the dropped fields.`, ['drop', i]));
  });
  const renamedFrom = new Set<string>();
  config.rename.forEach(({ from }, i) => {
    if (!has(from)) problems.push(configError(node, `renames “${from}”, which does not reach this node. Choose an incoming field.`, ['rename', i, 'from']));
    else if (renamedFrom.has(from.toLowerCase())) problems.push(configError(node, `renames “${from}” twice; keep one rename.`, ['rename', i, 'from']));
    renamedFrom.add(from.toLowerCase());
    if (config.drop.some((d) => d.toLowerCase() === from.toLowerCase())) {
      problems.push(configError(node, `both drops and renames “${from}”; do one or the other.`, ['rename', i, 'from']));
    }
  });
  config.fields.forEach(({ name, expression }, i) => {
    problems.push(...checkExpression(node, expression, input, ['fields', i, 'expression'], `field “${name}”`).problems);
  });
  const seen = new Map<string, string>();
  const outputs = [...config.rename.map((r, i) => ({ name: r.to, path: ['rename', i, 'to'] })), ...config.fields.map((f, i) => ({ name: f.name, path: ['fields', i, 'name'] }))];
  for (const { name, path } of outputs) {
    const key = name.toLowerCase();
    if (seen.has(key)) problems.push(configError(node, `two output fields are named “${name}” (case does not count); rename one.`, path));
    seen.set(key, name);
  }
  return problems;
}

export const mapSpec: NodeKindSpec<MapConfig> = {
  kind: 'processor.map',
  category: 'processor',
  label: KIND_LABELS['processor.map'],
  description: 'Keeps, drops and renames fields, and computes new ones with expressions.',
  keywords: ['transform', 'rename', 'compute', 'project', 'select', 'fields', 'columns'],
  configSchema: mapConfigSchema,
  defaultConfig: () => ({ keep: 'all', fields: [], drop: [], rename: [] }),
  inputs: 1,
  outputs: 1,
  outputSchema,
  check,
  storeRefs: () => [],
  summary: (config) => {
    const parts = [config.keep === 'listed' ? 'listed fields' : 'all fields'];
    if (config.fields.length) parts.push(`${config.fields.length} computed`);
    if (config.rename.length) parts.push(`${config.rename.length} renamed`);
    if (config.drop.length) parts.push(`${config.drop.length} dropped`);
    return parts.join(', ');
  },
  createProcessor: (config, input) => {
    const { copies, computed } = planOf(config, input);
    const schema = expressionSchemaOf(input);
    const compiled: { name: string; run: CompiledExpression }[] = computed.map((f) => ({ name: f.name, run: compile(f.expression, schema) }));
    const shape = (record: FlowRecord): FlowRecord => {
      // Output names are validated field names (never __proto__), so plain assignment is safe.
      const out: FlowRecord = {};
      for (const { to, field } of copies) if (Object.hasOwn(record, field.name)) out[to] = record[field.name];
      for (const { name, run } of compiled) {
        const value = run(record);
        if (value !== undefined && value !== null) out[name] = value;
      }
      return out;
    };
    return { push: (records) => ({ records: records.map(shape), rejected: [] }), flush: () => ({ records: [], rejected: [] }) };
  },
};
