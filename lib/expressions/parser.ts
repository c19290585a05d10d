import { ExpressionSyntaxError, type Loc, type Node } from '@/lib/expressions/ast';
import { GRAMMAR, tokenize, type Token } from '@/lib/expressions/lexer';

/** Longest expression we parse: analysis runs on every keystroke and compile on untrusted input. */
export const MAX_SOURCE_LENGTH = 10_000;
const MAX_DEPTH = 200;
/** Deepest tree any walker (compile, analyze, explain) will see: long &&-chains nest one level a term. */
export const MAX_TREE_DEPTH = 1000;

/**
 * Parses an expression of the dialect into jexl's tree shape, with positions. Same grammar as jexl 2.3
 * (its lexer, its operators and precedences, relative identifiers in filters, transforms after `|`), but
 * strict where jexl is lenient: an unclosed bracket or a dangling operator is an error at that place.
 */
export function parse(source: string): Node {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionSyntaxError(`The expression is ${source.length.toLocaleString('en')} characters long; the limit is ${MAX_SOURCE_LENGTH.toLocaleString('en')}.`, MAX_SOURCE_LENGTH, source.length);
  }
  const tokens = tokenize(source);
  if (tokens.length === 0) throw new ExpressionSyntaxError('The expression is empty.', 0, source.length);
  const parser = new Parser(tokens, source.length);
  const node = parser.expression(new Set());
  parser.expectEnd();
  if (treeDepth(node) > MAX_TREE_DEPTH) {
    throw new ExpressionSyntaxError(`The expression is too deeply nested or too long a chain (more than ${MAX_TREE_DEPTH.toLocaleString('en')} levels). Split it into simpler parts.`, 0, source.length);
  }
  return node;
}

/** Depth of a tree, measured without recursion (so a hostile tree cannot overflow the stack here). */
function treeDepth(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max > MAX_TREE_DEPTH) return max;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/** The direct sub-expressions of a node. */
export function childrenOf(node: Node): Node[] {
  switch (node.type) {
    case 'Identifier':
      return node.from ? [node.from] : [];
    case 'BinaryExpression':
      return [node.left, node.right];
    case 'UnaryExpression':
      return [node.right];
    case 'ConditionalExpression':
      return node.consequent ? [node.test, node.consequent, node.alternate] : [node.test, node.alternate];
    case 'ArrayLiteral':
      return node.value;
    case 'ObjectLiteral':
      return Object.values(node.value);
    case 'FilterExpression':
      return [node.subject, node.expr];
    case 'FunctionCall':
      return node.args;
    default:
      return [];
  }
}

/** Whether a filter's expression reads the item (`.x`) anywhere outside nested filters' own expressions. */
function readsItem(expr: Node): boolean {
  const stack = [expr];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'Identifier' && node.relative) return true;
    if (node.type === 'FilterExpression') stack.push(node.subject);
    else stack.push(...childrenOf(node));
  }
  return false;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index++];
    if (!token) throw this.errorAtEnd('The expression ends too early: a value is missing.');
    return token;
  }

  private errorAtEnd(message: string) {
    const last = this.tokens.at(-1);
    // Point at the last token: an empty span at the very end would be invisible in an editor.
    return new ExpressionSyntaxError(message, last ? last.start : 0, last ? last.end : this.length);
  }

  private unexpected(token: Token, expected: string) {
    return new ExpressionSyntaxError(`Unexpected “${String(token.raw).trim()}”: ${expected}.`, token.start, token.end);
  }

  expectEnd() {
    const extra = this.peek();
    if (extra) {
      const hint = extra.type === 'closeParen' ? 'there is a “)” without a matching “(”' : extra.type === 'closeBracket' ? 'there is a “]” without a matching “[”' : 'an operator such as && or || is missing before it';
      throw this.unexpected(extra, hint);
    }
  }

  /** expression := binary ( "?" expression? ":" expression )? */
  expression(stops: Set<Token['type']>): Node {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek() ?? this.tokens.at(-1)!;
      throw new ExpressionSyntaxError(`The expression nests deeper than ${MAX_DEPTH} levels.`, t.start, t.end);
    }
    const test = this.binary(0, stops);
    let node = test;
    if (this.peek()?.type === 'question') {
      const question = this.next();
      let consequent: Node | undefined;
      if (this.peek()?.type !== 'colon') consequent = this.expression(new Set([...stops, 'colon']));
      const colon = this.peek();
      if (colon?.type !== 'colon') throw colon ? this.unexpected(colon, 'expected “:” of “? :”') : this.errorAtEnd(`The “?” at ${question.start + 1} has no “:” part.`);
      this.next();
      const alternate = this.expression(stops);
      node = { type: 'ConditionalExpression', test, ...(consequent ? { consequent } : {}), alternate, loc: span(test.loc, alternate.loc) };
    }
    this.depth -= 1;
    return node;
  }

  /** Precedence climbing over jexl's binary operators; equal precedence groups to the left, as in jexl. */
  private binary(minPrecedence: number, stops: Set<Token['type']>): Node {
    let left = this.unary(stops);
    for (;;) {
      const token = this.peek();
      if (!token || token.type !== 'binaryOp') return left;
      const precedence = GRAMMAR.elements[token.value as string]!.precedence ?? 0;
      if (precedence < minPrecedence) return left;
      this.next();
      if (!this.peek()) throw this.errorAtEnd(`A value is missing after “${token.value}”.`);
      const right = this.binary(precedence + 1, stops);
      left = { type: 'BinaryExpression', operator: token.value as string, left, right, loc: span(left.loc, right.loc), operatorLoc: { start: token.start, end: token.end } };
    }
  }

  private unary(stops: Set<Token['type']>): Node {
    const token = this.peek();
    if (token?.type === 'unaryOp') {
      if (++this.depth > MAX_TREE_DEPTH) throw new ExpressionSyntaxError(`More than ${MAX_TREE_DEPTH.toLocaleString('en')} “!” in a row.`, token.start, token.end);
      this.next();
      if (!this.peek()) throw this.errorAtEnd(`A value is missing after “${token.value}”.`);
      const right = this.unary(stops);
      this.depth -= 1;
      return { type: 'UnaryExpression', operator: token.value as string, right, loc: { start: token.start, end: right.loc.end } };
    }
    return this.postfix(this.primary(stops));
  }

  private primary(stops: Set<Token['type']>): Node {
    const token = this.next();
    switch (token.type) {
      case 'literal':
        return { type: 'Literal', value: token.value, loc: at(token) };
      case 'identifier':
        return this.identifierOrCall(token);
      case 'dot': {
        const name = this.next();
        if (name.type !== 'identifier') throw this.unexpected(name, 'a field name must follow “.”');
        return { type: 'Identifier', value: name.value as string, relative: true, loc: { start: token.start, end: name.end }, nameLoc: at(name) };
      }
      case 'openParen': {
        if (this.peek()?.type === 'closeParen') throw this.unexpected(this.peek()!, 'the parentheses are empty');
        const inner = this.expression(new Set(['closeParen']));
        this.close(token, 'closeParen', ')');
        return inner;
      }
      case 'openBracket':
        return this.arrayLiteral(token);
      case 'openCurl':
        return this.objectLiteral(token);
      default:
        throw this.unexpected(token, stops.size ? 'a value is missing here' : 'expected a value: a field, a number, a quoted text, true or false');
    }
  }

  private identifierOrCall(name: Token): Node {
    if (this.peek()?.type !== 'openParen') {
      return { type: 'Identifier', value: name.value as string, loc: at(name), nameLoc: at(name) };
    }
    this.next();
    const args = this.list('closeParen', ')', name);
    const end = this.tokens[this.index - 1]!.end;
    return { type: 'FunctionCall', name: name.value as string, args, pool: 'functions', loc: { start: name.start, end }, nameLoc: at(name) };
  }

  /** Chains of `.field`, `[filter]` and `| transform(...)` after an operand. */
  private postfix(subject: Node): Node {
    let node = subject;
    for (;;) {
      const token = this.peek();
      if (token?.type === 'dot') {
        this.next();
        const name = this.next();
        if (name.type !== 'identifier') throw this.unexpected(name, 'a field name must follow “.”');
        if (this.peek()?.type === 'openParen') throw this.unexpected(this.peek()!, 'only functions can be called, e.g. lower(Account.Name), not Account.Name()');
        node = { type: 'Identifier', value: name.value as string, from: node, loc: { start: node.loc.start, end: name.end }, nameLoc: at(name) };
      } else if (token?.type === 'openBracket') {
        this.next();
        if (this.peek()?.type === 'closeBracket') throw this.unexpected(this.peek()!, 'the brackets are empty');
        const expr = this.expression(new Set(['closeBracket']));
        const relative = readsItem(expr);
        const close = this.close(token, 'closeBracket', ']');
        node = { type: 'FilterExpression', expr, relative, subject: node, loc: { start: node.loc.start, end: close.end } };
      } else if (token?.type === 'pipe') {
        this.next();
        const name = this.next();
        if (name.type !== 'identifier') throw this.unexpected(name, 'a function name must follow “|”');
        let args: Node[] = [];
        let end = name.end;
        if (this.peek()?.type === 'openParen') {
          this.next();
          args = this.list('closeParen', ')', name);
          end = this.tokens[this.index - 1]!.end;
        }
        node = { type: 'FunctionCall', name: name.value as string, args: [node, ...args], pool: 'transforms', loc: { start: node.loc.start, end }, nameLoc: at(name) };
      } else {
        return node;
      }
    }
  }

  private arrayLiteral(open: Token): Node {
    const value = this.list('closeBracket', ']', open);
    return { type: 'ArrayLiteral', value, loc: { start: open.start, end: this.tokens[this.index - 1]!.end } };
  }

  private objectLiteral(open: Token): Node {
    const value: Record<string, Node> = {};
    if (this.peek()?.type === 'closeCurl') {
      const close = this.next();
      return { type: 'ObjectLiteral', value, loc: { start: open.start, end: close.end } };
    }
    for (;;) {
      const key = this.next();
      if (key.type !== 'identifier' && !(key.type === 'literal' && typeof key.value === 'string')) throw this.unexpected(key, 'expected a key (a name or a quoted text)');
      const colon = this.next();
      if (colon.type !== 'colon') throw this.unexpected(colon, 'expected “:” after the key');
      Object.defineProperty(value, String(key.value), { value: this.expression(new Set(['comma', 'closeCurl'])), enumerable: true, writable: true, configurable: true });
      const sep = this.peek();
      if (!sep) throw this.errorAtEnd(`The “{” at ${open.start + 1} is never closed with “}”.`);
      this.next();
      if (sep.type === 'closeCurl') return { type: 'ObjectLiteral', value, loc: { start: open.start, end: sep.end } };
      if (sep.type !== 'comma') throw this.unexpected(sep, 'expected “,” or “}”');
    }
  }

  /** Comma-separated expressions up to the closing token (consumed). */
  private list(close: Token['type'], closeText: string, opener: Token): Node[] {
    const items: Node[] = [];
    if (this.peek()?.type === close) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.expression(new Set([close, 'comma'])));
      const sep = this.peek();
      if (!sep) throw this.errorAtEnd(`The “${opener.type === 'identifier' ? `${opener.value}(` : opener.raw.trim()}” at ${opener.start + 1} is never closed with “${closeText}”.`);
      this.next();
      if (sep.type === close) return items;
      if (sep.type !== 'comma') throw this.unexpected(sep, `expected “,” or “${closeText}”`);
    }
  }

  private close(open: Token, type: Token['type'], text: string): Token {
    const token = this.peek();
    if (!token) throw this.errorAtEnd(`The “${open.raw.trim()}” at ${open.start + 1} is never closed with “${text}”.`);
    if (token.type !== type) throw this.unexpected(token, `expected “${text}”`);
    return this.next();
  }
}

const at = (token: Token): Loc => ({ start: token.start, end: token.end });
const span = (a: Loc, b: Loc): Loc => ({ start: a.start, end: b.end });
