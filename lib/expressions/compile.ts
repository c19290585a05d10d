import type { Node } from '@/lib/expressions/ast';
import { canonicalNames } from '@/lib/expressions/canonical-names';
import { generate, instantiate } from '@/lib/expressions/codegen';
import { parse } from '@/lib/expressions/parser';
import type { ExpressionSchema } from '@/lib/expressions/schema';

/** A compiled expression: context in, value out. Safe to call with any JSON-like context. */
export type CompiledExpression = (context: unknown) => unknown;

const cache = new WeakMap<object, Map<string, CompiledExpression>>();
const NO_SCHEMA = {};
const CACHE_LIMIT = 500;

/**
 * Compiles an expression into one JavaScript function (see codegen.ts: names and literals travel as
 * constants, never as code), with jexl's semantics — jexl is the reference, the differential tests hold us
 * to it — but synchronous and tens of times faster, and property access reads only own properties. Names
 * resolve case-insensitively against the schema when one is given. Cached per schema and source. Throws
 * ExpressionSyntaxError on invalid source.
 */
export function compile(source: string, schema?: ExpressionSchema): CompiledExpression {
  const key = schema ?? NO_SCHEMA;
  let perSchema = cache.get(key);
  if (!perSchema) cache.set(key, (perSchema = new Map()));
  const hit = perSchema.get(source);
  if (hit) return hit;
  const ast = parse(source);
  const run = build(ast, schema, canonicalNames(ast, schema));
  const compiled: CompiledExpression = (context) => run(context, undefined);
  if (perSchema.size >= CACHE_LIMIT) perSchema.clear();
  perSchema.set(source, compiled);
  return compiled;
}

/** Compiles one node of a parsed tree (the explainer evaluates every sub-expression with exactly this). */
export function compileNode(node: Node, schema: ExpressionSchema | undefined, names: Map<Node, string>): (context: unknown, item?: unknown) => unknown {
  return build(node, schema, names);
}

/**
 * The plain generated function, and a guarded one for the rare context where an operator meets an object
 * JavaScript cannot convert (a JSON object with a "toString" or "valueOf" key: TypeError). Expressions have
 * no side effects, so evaluating again is safe, and the plain path costs nothing for the guard.
 */
function build(node: Node, schema: ExpressionSchema | undefined, names: Map<Node, string>): (context: unknown, item?: unknown) => unknown {
  const plain = instantiate(generate(node, schema, names));
  let guarded: ((context: unknown, item?: unknown) => unknown) | undefined;
  return (context, item) => {
    try {
      return plain(context, item);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      guarded ??= instantiate(generate(node, schema, names, true));
      return guarded(context, item);
    }
  };
}
