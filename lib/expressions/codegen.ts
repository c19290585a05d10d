import type { Node, NodeOf } from '@/lib/expressions/ast';
import { flatten } from '@/lib/expressions/flatten';
import { FUNCTIONS } from '@/lib/expressions/functions';
import { baseObjectOf, findSchemaField, OLD_SUFFIX, type ExpressionSchema } from '@/lib/expressions/schema';
import { RUNTIME } from '@/lib/expressions/runtime';

/**
 * Generates the JavaScript of a compiled expression. The safety rule: the generated text is made only of
 * our own fixed pieces — operators, parentheses, the variables c (context), r (filter item), K (constants)
 * and H (runtime helpers), integer indices — and the user's names and literals as JSON string, number and
 * boolean literals, escaped by JSON.stringify, so they stay data: nothing a user writes can become code (a
 * test strips the JSON literals from random programs and checks every remaining token against that
 * vocabulary). Semantics are jexl's, except that missing data never fails (see runtime.ts): the only
 * failure left at run time is calling a function that does not exist, which jexl also reports when called.
 */
export interface Generated {
  code: string;
  constants: unknown[];
}

/**
 * `guarded`: every binary operator goes through H.op, which never fails on an object that JavaScript cannot
 * convert to a primitive (`{"toString": 1} + 1`); slower, so it is made only for contexts that need it.
 */
export function generate(node: Node, schema: ExpressionSchema | undefined, names: Map<Node, string>, guarded = false): Generated {
  const constants: unknown[] = [];
  // Strings, finite numbers and booleans are written as JSON literals (escaped by JSON.stringify, so a
  // quote or backslash in them cannot end the literal): V8 then treats `o["Status"]` as a named read, the
  // fast kind. Anything else travels in K.
  const constant = (value: unknown) => {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0))) {
      return `(${JSON.stringify(value)})`;
    }
    const at = constants.indexOf(value);
    return `K[${at >= 0 ? at : constants.push(value) - 1}]`;
  };
  const nameOf = (n: NodeOf<'Identifier'>) => names.get(n) ?? n.value;

  const gen = (n: Node): string => {
    switch (n.type) {
      case 'Literal':
        return constant(n.value);
      case 'Identifier': {
        if (n.relative) return `H.own(r || c, ${constant(nameOf(n))})`;
        if (!n.from) return `H.own(c, ${constant(nameOf(n))})`;
        const from = n.from;
        if (from.type === 'Identifier' && !from.from && !from.relative) {
          return `H.read2(c, ${constant(nameOf(from))}, ${constant(nameOf(n))})`;
        }
        return `H.member(${gen(from)}, ${constant(nameOf(n))})`;
      }
      case 'BinaryExpression': {
        if (n.operator === '&&' || n.operator === '||') {
          return `(${flatten(n, n.operator).map((operand) => gen(operand)).join(` ${n.operator} `)})`;
        }
        const left = gen(n.left);
        const right = gen(n.right);
        if (guarded) return `H.op(${constant(n.operator)}, ${left}, ${right})`;
        switch (n.operator) {
          case '//':
            return `Math.floor(${left} / ${right})`;
          case '^':
            return `Math.pow(${left}, ${right})`;
          case 'in':
            return `H.inop(${left}, ${right})`;
          default:
            return `(${left} ${JS_OPERATOR[n.operator]} ${right})`;
        }
      }
      case 'UnaryExpression':
        return `(!${gen(n.right)})`;
      case 'ConditionalExpression':
        return n.consequent ? `(${gen(n.test)} ? ${gen(n.consequent)} : ${gen(n.alternate)})` : `(${gen(n.test)} || ${gen(n.alternate)})`;
      case 'ArrayLiteral':
        return `[${n.value.map((item) => gen(item)).join(', ')}]`;
      case 'ObjectLiteral':
        return `H.obj([${Object.entries(n.value).map(([key, value]) => `${constant(key)}, ${gen(value)}`).join(', ')}])`;
      case 'FilterExpression':
        if (n.relative) return `H.rfilter(${gen(n.subject)}, (r) => ${gen(n.expr)})`;
        return `H.sfilter(${gen(n.subject)}, ${gen(n.expr)})`;
      case 'FunctionCall':
        return call(n);
    }
  };

  // A function itself never throws (functions.ts).
  const call = (n: NodeOf<'FunctionCall'>): string => {
    const spec = Object.hasOwn(FUNCTIONS, n.name) ? FUNCTIONS[n.name] : undefined;
    // jexl fails when the call is evaluated, not when it is compiled; so do we.
    if (!spec) return `H.fail(${constant(`${n.pool === 'transforms' ? 'Transform' : 'Jexl Function'} ${n.name} is not defined.`)})`;
    if (spec.special) return changed(n);
    const index = FUNCTION_INDEX.get(spec.name)!;
    return `H.fn[${index}](${n.args.map((a) => gen(a)).join(', ')})`;
  };

  // changed('Field') ≡ changeType == 'UPDATE' && Base.Field != Base.Field_old, on the base object.
  const changed = (n: NodeOf<'FunctionCall'>): string => {
    const arg = n.args[0];
    if (!schema || schema.kind !== 'objectChange' || n.args.length !== 1 || arg?.type !== 'Literal' || typeof arg.value !== 'string') return 'false';
    const base = baseObjectOf(schema);
    const field = base ? findSchemaField(base.fields, arg.value) : undefined;
    const fieldName = field?.name ?? arg.value;
    return `H.changed(c, ${constant(base?.name ?? schema.baseObject)}, ${constant(fieldName)}, ${constant(`${fieldName}${OLD_SUFFIX}`)})`;
  };

  return { code: gen(node), constants };
}

const JS_OPERATOR: Record<string, string> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '==': '==',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

const FUNCTION_INDEX = new Map(Object.keys(FUNCTIONS).map((name, i) => [name, i]));

/** Turns generated code into a function of the context (and, for sub-expressions, a filter item). */
export function instantiate({ code, constants }: Generated): (c: unknown, r?: unknown) => unknown {
  // The code is built only from our own pieces (see generate); user text travels in K.
  const factory = new Function('K', 'H', `"use strict"; return (c, r) => ${code};`) as (k: unknown[], h: typeof RUNTIME) => (c: unknown, r?: unknown) => unknown;
  return factory(constants, RUNTIME);
}
