import { tokenize, type Token } from '@/lib/expressions/lexer';

const CLASS: Partial<Record<Token['type'], string>> = {
  identifier: 'tok-identifier',
  binaryOp: 'tok-operator',
  unaryOp: 'tok-operator',
  pipe: 'tok-operator',
};

function classOf(token: Token): string {
  if (token.type === 'literal') return typeof token.value === 'string' ? 'tok-string' : typeof token.value === 'number' ? 'tok-number' : 'tok-keyword';
  return CLASS[token.type] ?? 'tok-delimiter';
}

/**
 * A read-only condition with the editor's colours (lists, run details): tokens from the same lexer as
 * the editor, so both highlight alike. Falls back to plain text when the source does not tokenize.
 */
export function HighlightedExpression({ source }: { source: string }) {
  let tokens: Token[];
  try {
    tokens = tokenize(source);
  } catch {
    return <code className="expression">{source}</code>;
  }
  const parts: React.ReactNode[] = [];
  let offset = 0;
  tokens.forEach((token, i) => {
    if (token.start > offset) parts.push(source.slice(offset, token.start));
    parts.push(
      <span key={i} className={classOf(token)}>
        {source.slice(token.start, token.end)}
      </span>,
    );
    offset = token.end;
  });
  if (offset < source.length) parts.push(source.slice(offset));
  return <code className="expression">{parts}</code>;
}
