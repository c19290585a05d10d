import type { Node } from '@/lib/expressions/ast';
import { canonicalNames } from '@/lib/expressions/canonical-names';
import { compileNode } from '@/lib/expressions/compile';
import { flatten } from '@/lib/expressions/flatten';
import { childrenOf, parse } from '@/lib/expressions/parser';
import type { ExpressionSchema } from '@/lib/expressions/schema';

/** One sub-expression of an explained evaluation. */
export interface ExplainNode {
  start: number;
  end: number;
  /** The sub-expression's source text. */
  text: string;
  kind: Node['type'];
  /** The value it had; absent when it was not evaluated. */
  value?: unknown;
  /** Whether the value counts as true (conditions): on every evaluated node. */
  truthy?: boolean;
  /** Not evaluated because an earlier part already decided the result (&&, ||, ? :). */
  skipped?: true;
  /** Evaluation failed here (calling a function that does not exist: missing data never fails). */
  error?: string;
  children: ExplainNode[];
}

/**
 * Evaluates an expression and returns its tree with every sub-expression's value, so a user can see
 * why a condition did or did not fire. Each node's value comes from the compiler itself (compileNode),
 * so the explanation can never disagree with what the trigger would do.
 */
export function explain(source: string, context: unknown, schema?: ExpressionSchema): ExplainNode {
  const ast = parse(source);
  const names = canonicalNames(ast, schema);
  const build = (node: Node, skipped: boolean): ExplainNode => {
    const base = { start: node.loc.start, end: node.loc.end, text: source.slice(node.loc.start, node.loc.end), kind: node.type };
    if (skipped) return { ...base, skipped: true, children: children(node).map((c) => build(c, true)) };
    let value: unknown;
    try {
      value = compileNode(node, schema, names)(context, undefined);
    } catch (error) {
      return { ...base, error: (error as Error).message, children: children(node).map((c) => build(c, false)) };
    }
    return { ...base, value: plain(value), truthy: Boolean(value), children: explainChildren(node) };
  };
  const explainChildren = (node: Node): ExplainNode[] => {
    if (node.type === 'BinaryExpression' && (node.operator === '&&' || node.operator === '||')) {
      // a && b && c is one step with three parts; parts after the deciding one are skipped.
      let decided = false;
      return flatten(node, node.operator).map((operand) => {
        const part = build(operand, decided);
        if (!decided) decided = part.error !== undefined || (node.operator === '&&' ? !part.truthy : Boolean(part.truthy));
        return part;
      });
    }
    if (node.type === 'ConditionalExpression') {
      const test = build(node.test, false);
      const out = [test];
      if (node.consequent) out.push(build(node.consequent, !test.truthy));
      out.push(build(node.alternate, Boolean(test.truthy)));
      return out;
    }
    // A relative filter's expression is evaluated per item: show the filter's result, not each run.
    if (node.type === 'FilterExpression' && node.relative) return [build(node.subject, false)];
    return children(node).map((c) => build(c, false));
  };
  return build(ast, false);
}

/** The direct sub-expressions worth showing (an Identifier's `from` chain is one step, not many). */
function children(node: Node): Node[] {
  return node.type === 'Identifier' ? [] : childrenOf(node);
}

/** Values as JSON would show them (undefined → null), so the tree can cross to the browser. */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
