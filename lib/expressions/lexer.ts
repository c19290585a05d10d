import Lexer from 'jexl/dist/Lexer';
import { getGrammar } from 'jexl/dist/grammar';
import { ExpressionSyntaxError } from '@/lib/expressions/ast';

export const GRAMMAR = getGrammar();

export interface Token {
  type: 'literal' | 'identifier' | 'binaryOp' | 'unaryOp' | 'dot' | 'openBracket' | 'closeBracket' | 'pipe' | 'openCurl' | 'closeCurl' | 'colon' | 'comma' | 'openParen' | 'closeParen' | 'question';
  value: string | number | boolean;
  raw: string;
  start: number;
  end: number;
}

// jexl's list, plus "comma": jexl cannot read addDays(d, -10) or [1, -1]; the dialect can.
const MINUS_NEGATES_AFTER = new Set(['binaryOp', 'unaryOp', 'openParen', 'openBracket', 'question', 'colon', 'comma']);
const TYPOGRAPHIC_QUOTES = /[‘’“”]/;
const lexer = new Lexer(GRAMMAR) as unknown as {
  getElements(str: string): string[];
  _createToken(element: string): Omit<Token, 'start' | 'end'>;
};

/**
 * Splits an expression into tokens exactly as jexl's lexer does (its own element split and token rules,
 * including "-" folding into a number after an operator), and records each token's offsets, which
 * jexl does not keep. `end` excludes trailing whitespace.
 */
export function tokenize(source: string): Token[] {
  const elements = lexer.getElements(source);
  const tokens: Token[] = [];
  let offset = 0;
  let negateAt = -1;
  for (const element of elements) {
    const start = offset;
    offset += element.length;
    if (/^\s*$/.test(element)) {
      const last = tokens.at(-1);
      if (last) last.raw += element;
      continue;
    }
    if (element === '-' && (tokens.length === 0 || MINUS_NEGATES_AFTER.has(tokens.at(-1)!.type))) {
      if (negateAt < 0) negateAt = start;
      continue;
    }
    const text = negateAt >= 0 ? `-${element}` : element;
    const tokenStart = negateAt >= 0 ? negateAt : start;
    negateAt = -1;
    tokens.push(createToken(text, tokenStart, offset));
  }
  if (negateAt >= 0) tokens.push(createToken('-', negateAt, negateAt + 1));
  return tokens;
}

function createToken(element: string, start: number, end: number): Token {
  // Inside straight quotes they are just characters ('Dunkin’ Donuts'); outside they are a pasting accident.
  if (TYPOGRAPHIC_QUOTES.test(element) && !/^(['"]).*\1$/s.test(element)) {
    throw new ExpressionSyntaxError('Typographic quotes (‘ ’ “ ”) are not quotes here: use straight quotes \' or ".', start, end);
  }
  try {
    const token = lexer._createToken(element);
    // jexl looks names up in a plain object, so "constructor" or "toString" would take an inherited
    // grammar entry with no type: they are ordinary names here.
    if (token.type === undefined) return { type: 'identifier', value: element, raw: element, start, end };
    return { ...token, start, end } as Token;
  } catch {
    if (/^-[A-Za-z_$]/.test(element)) {
      throw new ExpressionSyntaxError(`A minus sign can only start a number here; write (0 - ${element.slice(1)}).`, start, end);
    }
    throw new ExpressionSyntaxError(`“${element}” is not part of the expression language.`, start, end);
  }
}

/**
 * Where each character of a quoted text's value is written in the source: `offsets[i]` is value character
 * i's offset from the opening quote of `quoted` (the literal as written). Follows jexl's unquoting: every
 * backslash + quote is the quote, then the first double backslash is one backslash.
 */
export function valueOffsets(quoted: string): number[] {
  const quote = quoted[0] ?? "'";
  const chars: { ch: string; at: number }[] = [];
  for (let i = 1; i < quoted.length - 1; i += 1) {
    const escapedQuote = quoted[i] === '\\' && quoted[i + 1] === quote && i + 1 < quoted.length - 1;
    chars.push({ ch: escapedQuote ? quote : quoted[i]!, at: i });
    if (escapedQuote) i += 1;
  }
  const doubled = chars.findIndex((c, j) => c.ch === '\\' && chars[j + 1]?.ch === '\\');
  if (doubled >= 0) chars.splice(doubled + 1, 1);
  return chars.map((c) => c.at);
}
