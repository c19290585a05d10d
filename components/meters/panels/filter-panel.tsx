'use client';

import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { FilterConfig } from '@/lib/meters/kinds';
import { ExpressionField } from '@/components/meters/panels/expression-field';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import styles from '@/components/meters/panels/panels.module.css';

/** Filter: a condition over the incoming fields; records for which it is true pass. */
export function FilterPanel({ node, config, onChange, input, problems, editable }: PanelProps<FilterConfig>) {
  return (
    <div className={styles.panel}>
      <ExpressionField
        id={pathId(node.id, ['condition'])}
        label="Condition"
        value={config.condition}
        onCommit={(condition) => onChange({ ...config, condition })}
        input={input}
        requireBoolean
        problems={problemsAt(problems, ['condition'])}
        editable={editable}
      />
      <p className="hint">Records for which the condition is true pass on; the others are dropped. Press Ctrl+Space for the incoming fields.</p>
    </div>
  );
}
