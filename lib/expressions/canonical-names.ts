import type { Node } from '@/lib/expressions/ast';
import { resolvePath, type ExpressionSchema } from '@/lib/expressions/schema';

/**
 * The canonical spelling of each schema name an expression uses (`INVOICE.status` → `Invoice.Status`),
 * by identifier node. Names the schema does not know keep their spelling.
 */
export function canonicalNames(ast: Node, schema: ExpressionSchema | undefined): Map<Node, string> {
  const names = new Map<Node, string>();
  if (!schema) return names;
  visit(ast, (node) => {
    if (node.type !== 'Identifier' || node.relative) return;
    const path = identifierPath(node);
    if (!path) return;
    if (path.length === 1 || path.length === 2) {
      const resolved = resolvePath(schema, path.map((p) => p.value));
      if ('canonical' in resolved) names.set(node, resolved.canonical);
    }
  });
  return names;
}

/** The chain of identifiers ending at `node` (root first), or null when it does not start at the context. */
export function identifierPath(node: Node): Extract<Node, { type: 'Identifier' }>[] | null {
  const path: Extract<Node, { type: 'Identifier' }>[] = [];
  let current: Node | undefined = node;
  while (current) {
    if (current.type !== 'Identifier' || current.relative) return null;
    path.unshift(current);
    current = current.from;
  }
  return path;
}

/** Calls `fn` on every node, parents first. */
export function visit(node: Node, fn: (node: Node) => void): void {
  fn(node);
  switch (node.type) {
    case 'Identifier':
      if (node.from) visit(node.from, fn);
      break;
    case 'BinaryExpression':
      visit(node.left, fn);
      visit(node.right, fn);
      break;
    case 'UnaryExpression':
      visit(node.right, fn);
      break;
    case 'ConditionalExpression':
      visit(node.test, fn);
      if (node.consequent) visit(node.consequent, fn);
      visit(node.alternate, fn);
      break;
    case 'ArrayLiteral':
      node.value.forEach((n) => visit(n, fn));
      break;
    case 'ObjectLiteral':
      Object.values(node.value).forEach((n) => visit(n, fn));
      break;
    case 'FilterExpression':
      visit(node.subject, fn);
      visit(node.expr, fn);
      break;
    case 'FunctionCall':
      node.args.forEach((n) => visit(n, fn));
      break;
  }
}
