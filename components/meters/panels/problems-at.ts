import type { MeterProblem } from '@/lib/meters/problems';

/** The node's problems about the config at `path` or inside it (a row's problems include its cells'). */
export function problemsAt(problems: readonly MeterProblem[], path: readonly (string | number)[]): MeterProblem[] {
  return problems.filter((p) => p.configPath && path.length <= p.configPath.length && path.every((key, i) => String(p.configPath![i]) === String(key)));
}

/** An id for a config path, for linking a control to its error text (`cfg-n1-mapping-quantity`). */
export const pathId = (nodeId: string, path: readonly (string | number)[]) => ['cfg', nodeId, ...path].join('-').replace(/[^A-Za-z0-9_-]/g, '_');
