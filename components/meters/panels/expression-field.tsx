'use client';

import { useMemo } from 'react';
import { ExpressionEditor } from '@/components/expression-editor/expression-editor';
import { HighlightedExpression } from '@/components/expression-editor/highlighted-expression';
import { expressionSchemaOf, type FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterProblem } from '@/lib/meters/problems';
import { ProblemText } from '@/components/meters/panels/controls';
import { useDraft } from '@/components/meters/panels/use-draft';
import styles from '@/components/meters/panels/panels.module.css';

/**
 * The expression editor for a node's config: completion and checks against the fields that flow into the
 * node, committed when the editor loses focus or after a pause. Read-only, the expression is shown highlighted.
 */
export function ExpressionField({
  id,
  label,
  value,
  onCommit,
  input,
  requireBoolean,
  problems,
  editable,
}: {
  id: string;
  label: string;
  value: string;
  onCommit: (value: string) => void;
  input: FlowSchema;
  requireBoolean?: boolean;
  problems: readonly MeterProblem[];
  editable: boolean;
}) {
  const { setDraft, flush, revision } = useDraft(value, onCommit);
  const schema = useMemo(() => expressionSchemaOf(input), [input]);
  const errorId = `${id}-error`;
  if (!editable) {
    return (
      <div className="field">
        <span className="field-label">{label}</span>
        <p className={styles.code}>{value ? <HighlightedExpression source={value} /> : <span className="muted">(empty)</span>}</p>
        <ProblemText id={errorId} problems={problems} />
      </div>
    );
  }
  return (
    // Focus leaving the editor (Monaco's own input, its buttons) commits: blur bubbles as focusout in React.
    <div onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && flush()}>
      <ExpressionEditor
        key={revision}
        name={id}
        label={label}
        defaultValue={value}
        schema={schema}
        requireBoolean={requireBoolean}
        onChange={setDraft}
        describedBy={problems.length ? errorId : undefined}
        invalid={problems.length > 0}
      />
      <ProblemText id={errorId} problems={problems} />
    </div>
  );
}
