'use client';

import { useReactFlow } from '@xyflow/react';
import { AlertCircle, AlertTriangle } from 'lucide-react';
import type { MeterProblem } from '@/lib/meters/problems';
import { DEFAULT_NODE_SIZE } from './auto-layout';
import { useCanvas, useMeterEditor, usePreview } from './editor-context';
import styles from './canvas.module.css';

/** "2 errors, 1 warning", or "No problems". */
export function problemCount(problems: readonly MeterProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return 'No problems';
  const parts = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''];
  return parts.filter(Boolean).join(', ');
}

/**
 * Every problem of the meter (the live analysis, or what a refused save answered while it still applies);
 * a click selects the problem's nodes and centers the first one.
 */
export function ProblemsList({ refused }: { refused: MeterProblem[] | null }) {
  const { store } = useMeterEditor();
  const live = useCanvas((s) => s.analysis.problems);
  const { setCenter, getZoom } = useReactFlow();
  const problems = refused ?? live;
  const preview = usePreview();

  const focus = (problem: MeterProblem) => {
    const { graph } = store.getState();
    store.getState().select({ nodes: problem.nodeIds.filter((id) => graph.nodes.some((n) => n.id === id)), edges: problem.edgeIds });
    const first = graph.nodes.find((n) => n.id === problem.nodeIds[0]);
    if (first) void setCenter(first.position.x + DEFAULT_NODE_SIZE.width / 2, first.position.y + DEFAULT_NODE_SIZE.height / 2, { zoom: Math.max(getZoom(), 0.8), duration: 200 });
  };

  return (
    <section className={styles.problems} aria-labelledby="meter-problems-title">
      <h2 id="meter-problems-title" className={styles.panelHeading}>
        Problems <span className="muted small" role="status">{problemCount(problems)}</span>
        <span className={`${styles.previewState} small`} aria-live="polite" data-testid="preview-state">
          {preview.status === 'ready' ? 'Preview: counts on a sample of the newest events' : preview.message}
        </span>
      </h2>
      {problems.length > 0 ? (
        <ul className={styles.problemsList}>
          {problems.map((problem, i) => (
            <li key={`${problem.code}-${problem.nodeIds.join('-')}-${i}`}>
              <button type="button" className={problem.severity === 'error' ? styles.problemError : styles.problemWarning} onClick={() => focus(problem)}>
                {problem.severity === 'error' ? <AlertCircle size={14} aria-label="Error" /> : <AlertTriangle size={14} aria-label="Warning" />}
                <span>{problem.message}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
