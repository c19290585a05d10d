import type { Node } from '@/lib/expressions/ast';

/** The operands of a left-nested chain of one operator, ((a && b) && c) → [a, b, c], without recursion. */
export function flatten(node: Node, operator: string): Node[] {
  const operands: Node[] = [];
  let current = node;
  while (current.type === 'BinaryExpression' && current.operator === operator) {
    operands.push(current.right);
    current = current.left;
  }
  operands.push(current);
  return operands.reverse();
}
