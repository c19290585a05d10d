import type { z } from 'zod';
import type { ValueType } from '@/lib/expressions/types';
import type { FlowSchema } from '@/lib/meters/flow-schema';
import { analyzeFlow } from '@/lib/meters/kinds/analyze-flow';
import type { MeterNode } from '@/lib/meters/graph';
import { nodeName } from '@/lib/meters/kinds/labels';
import type { MeterProblem } from '@/lib/meters/problems';

type Path = (string | number)[];

/** An error on one node, at a place in its config when there is one. */
export function nodeError(node: MeterNode, code: string, message: string, configPath?: Path): MeterProblem {
  return { code, severity: 'error', nodeIds: [node.id], edgeIds: [], message, ...(configPath && { configPath }) };
}

/** CONFIG_INVALID at `path`: `<node>: <what to do>`. */
export const configError = (node: MeterNode, message: string, configPath: Path) => nodeError(node, 'CONFIG_INVALID', `${nodeName(node)}: ${message}`, configPath);

const TYPE_WORDS: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a set of settings' };

/** Messages for zod's generic issues (a wrong type, a missing setting), so every config problem says what to do. */
const friendlyError: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    const expected = TYPE_WORDS[String(issue.expected)] ?? String(issue.expected);
    return issue.input === undefined ? `This setting is missing; enter ${expected}.` : `This setting must be ${expected}.`;
  }
  if (issue.code === 'invalid_value') return `Choose one of: ${issue.values.map(String).join(', ')}.`;
  return undefined;
};

/** Parses a node's config with its kind's schema; on failure, one CONFIG_INVALID problem per issue (at most 10). */
export function parseConfig<C>(schema: z.ZodType<C>, node: MeterNode): { ok: true; config: C } | { ok: false; problems: MeterProblem[] } {
  // Parsed without options first: passing an error map takes zod off its fast path (5x slower).
  const fast = schema.safeParse(node.config ?? {});
  if (fast.success) return { ok: true, config: fast.data };
  const parsed = schema.safeParse(node.config ?? {}, { error: friendlyError });
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.slice(0, 10).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const where = path.length ? `${path.join('.')}: ` : '';
    return configError(node, `${where}${issue.message}`, path);
  });
  return { ok: false, problems };
}

/**
 * Analyzes an expression against what flows into the node: EXPRESSION problems (one per expression, with
 * the first error's message and how many there are) and the expression's type.
 */
export function checkExpression(
  node: MeterNode,
  source: string,
  input: FlowSchema,
  configPath: Path,
  what: string,
  options: { requireBoolean?: boolean } = {},
): { problems: MeterProblem[]; type: ValueType } {
  const { diagnostics, type } = analyzeFlow(source, input, options.requireBoolean);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return { problems: [], type };
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  return { problems: [nodeError(node, 'EXPRESSION', `${nodeName(node)}: ${what}: ${errors[0]!.message}${more}`, configPath)], type };
}
