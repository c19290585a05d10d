/**
 * The expression language: a JEXL dialect for trigger conditions and meter processors.
 * - analyze(source, schema, options): diagnostics with positions, codes and fixes (editor, save checks)
 * - compile(source, schema): a fast, safe function from context to value (runtime)
 * - explain(source, context, schema): the evaluation tree with each part's value ("why did it fire?")
 * Framework-free; see docs/expressions.md for the language and docs/trigger-conditions.md for users.
 */
export { analyze, requiresUpdate, type Analysis, type AnalyzeOptions } from '@/lib/expressions/analyze';
export { ExpressionSyntaxError, type Node } from '@/lib/expressions/ast';
export { compile, type CompiledExpression } from '@/lib/expressions/compile';
export type { Diagnostic, DiagnosticCode, Fix } from '@/lib/expressions/diagnostics';
export { explain, type ExplainNode } from '@/lib/expressions/explain';
export { FUNCTIONS, type FunctionSpec } from '@/lib/expressions/functions';
export { parse } from '@/lib/expressions/parser';
export type { EventSchema, ExpressionSchema, ObjectChangeSchema, SchemaField, SchemaObject } from '@/lib/expressions/schema';
