// jexl 2.3 ships no types for its internal modules; we use its grammar and lexer so our tokens are its tokens.
declare module 'jexl/dist/grammar' {
  export interface GrammarElement {
    type: string;
    precedence?: number;
    eval?: (...args: unknown[]) => unknown;
    evalOnDemand?: (...args: unknown[]) => unknown;
  }
  export function getGrammar(): { elements: Record<string, GrammarElement>; functions: Record<string, unknown>; transforms: Record<string, unknown> };
}
declare module 'jexl/dist/Lexer' {
  const Lexer: new (grammar: unknown) => unknown;
  export default Lexer;
}
