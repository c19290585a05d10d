/**
 * What validateMeter finds: one shape for the canvas (marks on nodes and edges, the problems list), the
 * save and run server actions (the same messages, refused when any is an error) and the REST API.
 */
export type ProblemSeverity = 'error' | 'warning';

export interface MeterProblem {
  /** Stable, e.g. STORE_SOURCE_AND_TARGET; messages may be reworded, codes do not change. */
  code: string;
  severity: ProblemSeverity;
  /** The nodes and edges involved, for marking them on the canvas; empty for the graph as a whole. */
  nodeIds: string[];
  edgeIds: string[];
  /** Names the nodes by their labels and says how to fix it. */
  message: string;
  /** For config problems: the path inside the node's config (`['mapping', 'quantity']`), for the panel to mark the field. */
  configPath?: (string | number)[];
}

export const hasErrors = (problems: readonly MeterProblem[]) => problems.some((p) => p.severity === 'error');
