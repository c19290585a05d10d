import { analyze, type Analysis, type EventSchema } from '@/lib/expressions';
import { expressionSchemaOf, type FlowSchema } from '@/lib/meters/flow-schema';

const eventSchemas = new WeakMap<FlowSchema, EventSchema>();
const signatures = new WeakMap<FlowSchema, string>();
/** By requireBoolean, then by the flow's signature (the same string object per schema, so its hash is kept), then by source. */
const analyses = [new Map<string, Map<string, Analysis>>(), new Map<string, Map<string, Analysis>>()] as const;
const CACHE_LIMIT = 1_000;
/** Longer expressions and wider flows are analyzed every time, so the cache stays small (about 10 MB at worst) whatever clients send. */
const MAX_SOURCE = 1_000;
const MAX_SIGNATURE = 8_192;
let cached = 0;

/** The expression language's view of a flow, made once per schema object (its name index is built once too). */
export function eventSchemaOf(flow: FlowSchema): EventSchema {
  let schema = eventSchemas.get(flow);
  if (!schema) eventSchemas.set(flow, (schema = expressionSchemaOf(flow)));
  return schema;
}

/** What an analysis depends on: field names and types, in order. */
function signatureOf(flow: FlowSchema): string {
  let signature = signatures.get(flow);
  if (signature === undefined) {
    signature = '';
    for (const f of flow.fields) signature += `${f.name}:${f.type},`;
    signatures.set(flow, signature);
  }
  return signature;
}

/**
 * analyze() of an expression against a flow, remembered by the flow's field names and types: validation
 * runs on every edit of the canvas, and an edit changes one node's expressions, so every other analysis
 * is a lookup (analyze costs tens of microseconds; a 200-node meter has hundreds of expressions).
 * Bounded: the cache is emptied past 1,000 analyses.
 */
export function analyzeFlow(source: string, flow: FlowSchema, requireBoolean = false): Analysis {
  const key = signatureOf(flow);
  if (source.length > MAX_SOURCE || key.length > MAX_SIGNATURE) return analyze(source, eventSchemaOf(flow), { requireBoolean });
  const bySignature = analyses[requireBoolean ? 1 : 0];
  let perSchema = bySignature.get(key);
  const hit = perSchema?.get(source);
  if (hit) return hit;
  if (cached >= CACHE_LIMIT) {
    analyses.forEach((m) => m.clear());
    cached = 0;
    perSchema = undefined;
  }
  if (!perSchema) bySignature.set(key, (perSchema = new Map()));
  const analysis = analyze(source, eventSchemaOf(flow), { requireBoolean });
  perSchema.set(source, analysis);
  cached += 1;
  return analysis;
}

/** Forgets every remembered analysis (the bench times a cold validation with it). */
export function clearAnalysisCache(): void {
  analyses.forEach((m) => m.clear());
  cached = 0;
}
