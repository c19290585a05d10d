/**
 * The expression tree: the same node shapes as jexl 2.3's parser produces (so the differential tests can
 * compare them), plus `loc`, the node's source span as [start, end) character offsets.
 */
export interface Loc {
  start: number;
  end: number;
}

export type Node =
  | { type: 'Literal'; value: string | number | boolean; loc: Loc }
  | { type: 'Identifier'; value: string; from?: Node; relative?: true; loc: Loc; nameLoc: Loc }
  | { type: 'BinaryExpression'; operator: string; left: Node; right: Node; loc: Loc; operatorLoc: Loc }
  | { type: 'UnaryExpression'; operator: string; right: Node; loc: Loc }
  | { type: 'ConditionalExpression'; test: Node; consequent?: Node; alternate: Node; loc: Loc }
  | { type: 'ArrayLiteral'; value: Node[]; loc: Loc }
  | { type: 'ObjectLiteral'; value: Record<string, Node>; loc: Loc }
  | { type: 'FilterExpression'; expr: Node; relative: boolean; subject: Node; loc: Loc }
  | { type: 'FunctionCall'; name: string; args: Node[]; pool: 'functions' | 'transforms'; loc: Loc; nameLoc: Loc };

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;

/** A parse or lex failure at a place in the source. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

/** The tree without positions, in jexl's exact shape (for comparison with jexl's own parser). */
export function stripLocations(node: Node): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'nameLoc' || key === 'operatorLoc') continue;
    if (Array.isArray(value)) out[key] = value.map((v) => stripLocations(v as Node));
    else if (value && typeof value === 'object' && 'type' in value) out[key] = stripLocations(value as Node);
    else if (value && typeof value === 'object') out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripLocations(v as Node)]));
    else out[key] = value;
  }
  // jexl records an empty consequent (`a ?: b`) as null.
  if (node.type === 'ConditionalExpression' && !node.consequent) out.consequent = null;
  return out;
}
