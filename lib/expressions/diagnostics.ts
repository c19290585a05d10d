/** One finding of the analyzer, at a span of the source, with the edits that fix it where we know them. */
export interface Diagnostic {
  start: number;
  end: number;
  severity: 'error' | 'warning' | 'info';
  /** Stable identifier, e.g. UNKNOWN_FIELD; messages may be reworded, codes do not change. */
  code: DiagnosticCode;
  message: string;
  fixes: Fix[];
}

export interface Fix {
  title: string;
  edits: { start: number; end: number; text: string }[];
}

export type DiagnosticCode =
  | 'SYNTAX'
  | 'TYPOGRAPHIC_QUOTES'
  | 'INVISIBLE_CHARACTER'
  | 'LOOKALIKE_LETTER'
  | 'UNKNOWN_OBJECT'
  | 'UNKNOWN_FIELD'
  | 'NON_CANONICAL_NAME'
  | 'OLD_ON_RELATED_OBJECT'
  | 'OLD_WITHOUT_UPDATE'
  | 'TYPE_MISMATCH'
  | 'UNKNOWN_VALUE'
  | 'PICKLIST_CASE'
  | 'UNKNOWN_FUNCTION'
  | 'ARITY'
  | 'ARGUMENT_TYPE'
  | 'BAD_PATTERN'
  | 'CHANGED_ARGUMENT'
  | 'NOT_BOOLEAN';

export const replaceFix = (title: string, start: number, end: number, text: string): Fix => ({ title, edits: [{ start, end, text }] });
