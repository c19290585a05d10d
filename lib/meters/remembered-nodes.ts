import type { FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterNode, NodeKind } from '@/lib/meters/graph';
import type { MeterContext } from '@/lib/meters/kind-spec';
import { specOf } from '@/lib/meters/kinds';
import { parseConfig } from '@/lib/meters/kinds/node-problems';
import type { MeterProblem } from '@/lib/meters/problems';

/** Kinds whose output and checks depend on their config and input alone (not on the stores), so they can be remembered. */
const PURE_KINDS = new Set<NodeKind>(['source.fileUpload', 'source.httpIngest', 'processor.filter', 'processor.map', 'processor.deduplicate', 'processor.aggregate']);
const LIMIT = 500;
/**
 * Configs longer than this (as JSON) are not remembered: real ones are a few hundred characters, and the
 * server validates graphs from any client, so what stays in memory must stay small (at most about
 * LIMIT × 4 kB per cache).
 */
const MAX_KEY = 4096;

interface Remembered {
  output: FlowSchema;
  /** The check's problems by node id and label (messages name the node). */
  problems: Map<string, MeterProblem[]>;
}
let parsedConfigs = new Map<string, unknown>();

/** A node's config as written, the key of everything remembered about it. */
export const configKey = (node: MeterNode) => `${node.kind}${JSON.stringify(node.config ?? {})}`;

/**
 * parseConfig, remembered by the config's text for configs that parse (problems name the node, so they
 * are made afresh). Parsed configs are shared between validations: treat them as immutable.
 */
export function parseNodeConfig(node: MeterNode, key: string): ReturnType<typeof parseConfig<unknown>> {
  if (parsedConfigs.has(key)) return { ok: true, config: parsedConfigs.get(key) };
  const result = parseConfig(specOf(node.kind).configSchema, node);
  if (result.ok && key.length <= MAX_KEY) {
    if (parsedConfigs.size >= LIMIT) parsedConfigs = new Map();
    parsedConfigs.set(key, result.config);
  }
  return result;
}

let byInput = new WeakMap<FlowSchema, Map<string, Remembered>>();

/**
 * A node's kind check and output schema. For kinds that do not read the stores, both are remembered per
 * input schema object and config: an unchanged part of a meter keeps its schema objects from one
 * validation to the next (so what is remembered per schema, such as expression analyses, is found again)
 * and is not checked again. An edit changes the config or the input object, and so misses.
 */
export function checkNode(node: MeterNode, key: string, config: unknown, input: FlowSchema, context: MeterContext): { output: FlowSchema; problems: MeterProblem[] } {
  const spec = specOf(node.kind);
  if (!PURE_KINDS.has(node.kind) || key.length > MAX_KEY) return { output: spec.outputSchema(config, input, context), problems: spec.check(config, input, context, node) };
  let byConfig = byInput.get(input);
  if (!byConfig || byConfig.size > LIMIT) byInput.set(input, (byConfig = new Map()));
  let entry = byConfig.get(key);
  if (!entry) byConfig.set(key, (entry = { output: spec.outputSchema(config, input, context), problems: new Map() }));
  const who = `${node.id}\u0000${node.label}`;
  let problems = entry.problems.get(who);
  if (!problems) {
    if (entry.problems.size > LIMIT) entry.problems.clear();
    entry.problems.set(who, (problems = spec.check(config, input, context, node)));
  }
  return { output: entry.output, problems: problems.map((p) => ({ ...p })) };
}

/** Forgets every remembered node (the bench times a cold validation with it). */
export function forgetRememberedNodes(): void {
  byInput = new WeakMap();
  parsedConfigs = new Map();
}
