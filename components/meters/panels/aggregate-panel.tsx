'use client';

import { useMemo } from 'react';
import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { AggregateConfig } from '@/lib/meters/kinds';
import { WINDOW_UNITS } from '@/lib/meters/kinds/tumbling-window';
import { AddButton, RemoveButton, RowsHead } from '@/components/meters/panels/buttons';
import { FieldChecklist, IntegerControl, ProblemText, SelectControl, TextControl } from '@/components/meters/panels/controls';
import { datetimeFieldOptions, fieldOptions, unitOptions } from '@/components/meters/panels/field-options';
import { OutputFields } from '@/components/meters/panels/output-fields';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import styles from '@/components/meters/panels/panels.module.css';

type Measure = AggregateConfig['measures'][number];
const FUNCTIONS: { value: Measure['fn']; label: string }[] = [
  { value: 'count', label: 'Count' },
  { value: 'sum', label: 'Sum' },
  { value: 'min', label: 'Minimum' },
  { value: 'max', label: 'Maximum' },
  { value: 'avg', label: 'Average' },
  { value: 'uniqueCount', label: 'Unique count' },
  { value: 'latest', label: 'Latest' },
];

/** UTC first, then the browser's zone, then every IANA zone the browser knows. */
function timeZoneOptions(current: string) {
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = [...new Set(['UTC', browser, current, ...all].filter(Boolean))];
  return zones.map((zone) => ({ value: zone, label: zone === browser && zone !== 'UTC' ? `${zone} (this browser)` : zone }));
}

/** Aggregate: one record per group and tumbling window (by event time, in a time zone), with measures. */
export function AggregatePanel({ node, config, onChange, input, output, problems, editable }: PanelProps<AggregateConfig>) {
  const id = (...path: (string | number)[]) => pathId(node.id, path);
  const zones = useMemo(() => timeZoneOptions(config.timeZone), [config.timeZone]);
  const setMeasure = (index: number, patch: Partial<AggregateConfig['measures'][number]>) =>
    onChange({ ...config, measures: config.measures.map((m, i) => (i === index ? { ...m, ...patch } : m)) });
  return (
    <div className={styles.panel}>
      <FieldChecklist legend="Group by" names={input.fields.map((f) => f.name)} selected={config.groupBy} onChange={(groupBy) => onChange({ ...config, groupBy })} problems={problemsAt(problems, ['groupBy'])} disabled={!editable} empty="Connect an input first: its fields are offered here." />
      <SelectControl id={id('timeField')} label="Time field" placeholder="Choose a datetime field" value={config.timeField} options={datetimeFieldOptions(input)} onChange={(timeField) => onChange({ ...config, timeField })} problems={problemsAt(problems, ['timeField'])} disabled={!editable} />
      <div className={styles.row}>
        <IntegerControl id={id('window', 'amount')} label="Window" value={config.window.amount} onCommit={(amount) => onChange({ ...config, window: { ...config.window, amount } })} problems={problemsAt(problems, ['window', 'amount'])} disabled={!editable} />
        <SelectControl id={id('window', 'unit')} label="Window unit" value={config.window.unit} options={unitOptions(WINDOW_UNITS, config.window.amount)} onChange={(unit) => onChange({ ...config, window: { ...config.window, unit: unit as AggregateConfig['window']['unit'] } })} problems={problemsAt(problems, ['window', 'unit'])} disabled={!editable} />
      </div>
      <SelectControl id={id('timeZone')} label="Time zone" value={config.timeZone} options={zones} onChange={(timeZone) => onChange({ ...config, timeZone })} problems={problemsAt(problems, ['timeZone'])} hint="Days, weeks and months start at midnight in this zone." disabled={!editable} />
      <fieldset className={styles.section}>
        <legend className={styles.sectionTitle}>Measures</legend>
        <table className={styles.table}>
          <RowsHead columns={['Name', 'Function', 'Field']} removable={editable} />
          <tbody>
            {config.measures.map((measure, i) => (
              <tr key={i}>
                <td>
                  <TextControl id={id('measures', i, 'name')} label={`Measure ${i + 1} name`} hiddenLabel value={measure.name} onCommit={(name) => setMeasure(i, { name: name.trim() })} problems={problemsAt(problems, ['measures', i, 'name'])} disabled={!editable} />
                </td>
                <td>
                  <SelectControl
                    id={id('measures', i, 'fn')}
                    label={`Measure ${i + 1} function`}
                    hiddenLabel
                    value={measure.fn}
                    options={FUNCTIONS}
                    onChange={(fn) => setMeasure(i, fn === 'count' ? { fn: 'count', field: undefined } : { fn: fn as Measure['fn'] })}
                    problems={problemsAt(problems, ['measures', i, 'fn'])}
                    disabled={!editable}
                  />
                </td>
                <td>
                  {measure.fn === 'count' ? (
                    <span className="hint">every record</span>
                  ) : (
                    <SelectControl id={id('measures', i, 'field')} label={`Measure ${i + 1} field`} hiddenLabel placeholder="Field" value={measure.field ?? ''} options={fieldOptions(input)} onChange={(field) => setMeasure(i, { field })} problems={problemsAt(problems, ['measures', i, 'field'])} disabled={!editable} />
                  )}
                </td>
                {editable ? (
                  <td>
                    <RemoveButton label={`Remove measure ${measure.name || i + 1}`} onClick={() => onChange({ ...config, measures: config.measures.filter((_, j) => j !== i) })} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        <ProblemText id={id('measures', 'error')} problems={problems.filter((p) => p.configPath?.length === 1 && p.configPath[0] === 'measures')} />
        {editable ? (
          <AddButton label="Add measure" onClick={() => onChange({ ...config, measures: [...config.measures, { name: `measure_${config.measures.length + 1}`, fn: 'count' }] })} />
        ) : null}
      </fieldset>
      <OutputFields output={output} />
    </div>
  );
}
