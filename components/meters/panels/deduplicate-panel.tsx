'use client';

import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { DeduplicateConfig } from '@/lib/meters/kinds';
import { DEDUPLICATE_UNITS } from '@/lib/meters/kinds/processor-deduplicate';
import { FieldChecklist, IntegerControl, SelectControl } from '@/components/meters/panels/controls';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import { datetimeFieldOptions, unitOptions } from '@/components/meters/panels/field-options';
import styles from '@/components/meters/panels/panels.module.css';

/** Deduplicate: of records with equal key fields within the window (by event time), only the first passes. */
export function DeduplicatePanel({ node, config, onChange, input, problems, editable }: PanelProps<DeduplicateConfig>) {
  const id = (...path: string[]) => pathId(node.id, path);
  return (
    <div className={styles.panel}>
      <FieldChecklist
        legend="Key fields"
        names={input.fields.map((f) => f.name)}
        selected={config.keys}
        onChange={(keys) => onChange({ ...config, keys })}
        problems={problemsAt(problems, ['keys'])}
        disabled={!editable}
        empty="Connect an input first: its fields are offered here."
      />
      <SelectControl id={id('timeField')} label="Time field" placeholder="Choose a datetime field" value={config.timeField} options={datetimeFieldOptions(input)} onChange={(timeField) => onChange({ ...config, timeField })} problems={problemsAt(problems, ['timeField'])} disabled={!editable} />
      <div className={styles.row}>
        <IntegerControl id={id('window', 'amount')} label="Window" value={config.window.amount} onCommit={(amount) => onChange({ ...config, window: { ...config.window, amount } })} problems={problemsAt(problems, ['window', 'amount'])} disabled={!editable} />
        <SelectControl id={id('window', 'unit')} label="Window unit" value={config.window.unit} options={unitOptions(DEDUPLICATE_UNITS, config.window.amount)} onChange={(unit) => onChange({ ...config, window: { ...config.window, unit: unit as DeduplicateConfig['window']['unit'] } })} problems={problemsAt(problems, ['window', 'unit'])} disabled={!editable} />
      </div>
      <p className="hint">A record whose key fields equal those of an earlier record less than the window apart (by the time field) is dropped.</p>
    </div>
  );
}
