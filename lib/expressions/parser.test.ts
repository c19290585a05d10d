import { describe, expect, it } from 'vitest';
import { ExpressionSyntaxError } from '@/lib/expressions/ast';
import { tokenize } from '@/lib/expressions/lexer';
import { MAX_SOURCE_LENGTH, parse } from '@/lib/expressions/parser';

const failure = (source: string) => {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return { message: error.message, at: source.slice(error.start, error.end), start: error.start };
    throw error;
  }
  throw new Error(`parsed: ${source}`);
};

describe('tokenize', () => {
  it('records each token’s offsets, without trailing spaces', () => {
    const tokens = tokenize("Invoice.Amount  >  -1000 && x");
    expect(tokens.map((t) => [t.type, t.start, t.end])).toEqual([
      ['identifier', 0, 7],
      ['dot', 7, 8],
      ['identifier', 8, 14],
      ['binaryOp', 16, 17],
      ['literal', 19, 24],
      ['binaryOp', 25, 27],
      ['identifier', 28, 29],
    ]);
    expect(tokens[4]!.value).toBe(-1000);
  });

  it('refuses typographic quotes and unknown characters at their place', () => {
    expect(() => tokenize('a == ‘x’')).toThrow(/Typographic quotes/);
    const error = (() => {
      try {
        tokenize('a # b');
      } catch (e) {
        return e as ExpressionSyntaxError;
      }
    })();
    expect([error?.start, error?.end]).toEqual([2, 3]);
  });
});

describe('parse', () => {
  it('gives every node its source span', () => {
    const ast = parse("changeType == 'UPDATE' && lower(Invoice.Status) == 'posted'");
    expect(ast.type).toBe('BinaryExpression');
    if (ast.type !== 'BinaryExpression') return;
    expect(ast.loc).toEqual({ start: 0, end: 59 });
    expect(ast.operatorLoc).toEqual({ start: 23, end: 25 });
    expect(ast.right.loc).toEqual({ start: 26, end: 59 });
    if (ast.right.type !== 'BinaryExpression' || ast.right.left.type !== 'FunctionCall') throw new Error('shape');
    expect(ast.right.left.nameLoc).toEqual({ start: 26, end: 31 });
    expect(ast.right.left.args[0]!.loc).toEqual({ start: 32, end: 46 });
  });

  it.each([
    ["Invoice.Status == 'Posted' &&", 'A value is missing after “&&”.', '&&'],
    ['(1 + 2', 'The “(” at 1 is never closed with “)”.', '2'],
    ['lower(x', 'The “lower(” at 1 is never closed with “)”.', 'x'],
    ['a b', 'Unexpected “b”: an operator such as && or || is missing before it.', 'b'],
    ['a == == b', 'Unexpected “==”: expected a value: a field, a number, a quoted text, true or false.', '=='],
    ['1 + 2)', 'Unexpected “)”: there is a “)” without a matching “(”.', ')'],
    ['a ? b', 'The “?” at 3 has no “:” part.', 'b'],
    ['Account.Name()', 'Unexpected “(”: only functions can be called, e.g. lower(Account.Name), not Account.Name().', '('],
    ['-x', 'A minus sign can only start a number here; write (0 - x).', '-x'],
    ['', 'The expression is empty.', ''],
  ])('%s → %s', (source, message, at) => {
    const f = failure(source);
    expect(f.message).toBe(message);
    expect(f.at).toBe(at);
  });

  it('refuses oversized and overly deep expressions cleanly', () => {
    expect(failure('a'.repeat(MAX_SOURCE_LENGTH + 1)).message).toMatch(/the limit is 10,000/);
    expect(failure(`${'('.repeat(300)}1${')'.repeat(300)}`).message).toBe('The expression nests deeper than 200 levels.');
  });
});
