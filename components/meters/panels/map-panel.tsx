'use client';

import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { MapConfig } from '@/lib/meters/kinds';
import { AddButton, RemoveButton } from '@/components/meters/panels/buttons';
import { FieldChecklist, ProblemText, SelectControl, TextControl } from '@/components/meters/panels/controls';
import { ExpressionField } from '@/components/meters/panels/expression-field';
import { fieldOptions } from '@/components/meters/panels/field-options';
import { OutputFields } from '@/components/meters/panels/output-fields';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import styles from '@/components/meters/panels/panels.module.css';

const listProblems = (problems: PanelProps['problems'], key: string) => problems.filter((p) => p.configPath?.length === 1 && p.configPath[0] === key);

/** Map: keep all incoming fields (minus dropped, with renames) or only the listed ones, plus computed fields. */
export function MapPanel({ node, config, onChange, input, output, problems, editable }: PanelProps<MapConfig>) {
  const id = (...path: (string | number)[]) => pathId(node.id, path);
  const set = (patch: Partial<MapConfig>) => onChange({ ...config, ...patch });
  const typeOf = (name: string) => output.fields.find((f) => f.name === name)?.type;
  return (
    <div className={styles.panel}>
      <fieldset className={styles.section}>
        <legend className={styles.sectionTitle}>Incoming fields</legend>
        <label className="radio">
          <input type="radio" name={id('keep')} checked={config.keep === 'all'} disabled={!editable} onChange={() => set({ keep: 'all' })} /> Keep all, except those dropped
        </label>
        <label className="radio">
          <input type="radio" name={id('keep')} checked={config.keep === 'listed'} disabled={!editable} onChange={() => set({ keep: 'listed' })} /> Keep only the renamed and computed fields
        </label>
      </fieldset>
      {config.keep === 'all' ? (
        <FieldChecklist legend="Drop" names={input.fields.map((f) => f.name)} selected={config.drop} onChange={(drop) => set({ drop })} problems={problemsAt(problems, ['drop'])} disabled={!editable} empty="Connect an input first: its fields are offered here." />
      ) : null}
      <fieldset className={styles.section}>
        <legend className={styles.sectionTitle}>Rename</legend>
        {config.rename.map((rename, i) => (
          <div key={i} className={styles.row}>
            <SelectControl id={id('rename', i, 'from')} label={`Rename ${i + 1}: field`} placeholder="Field" value={rename.from} options={fieldOptions(input)} onChange={(from) => set({ rename: config.rename.map((r, j) => (j === i ? { ...r, from } : r)) })} problems={problemsAt(problems, ['rename', i, 'from'])} disabled={!editable} />
            <TextControl id={id('rename', i, 'to')} label={`Rename ${i + 1}: new name`} value={rename.to} onCommit={(to) => set({ rename: config.rename.map((r, j) => (j === i ? { ...r, to: to.trim() } : r)) })} problems={problemsAt(problems, ['rename', i, 'to'])} disabled={!editable} />
            {editable ? <RemoveButton label={`Remove rename ${i + 1}`} onClick={() => set({ rename: config.rename.filter((_, j) => j !== i) })} /> : null}
          </div>
        ))}
        <ProblemText id={id('rename', 'error')} problems={listProblems(problems, 'rename')} />
        {editable ? <AddButton label="Add rename" onClick={() => set({ rename: [...config.rename, { from: '', to: '' }] })} /> : null}
      </fieldset>
      <fieldset className={styles.section}>
        <legend className={styles.sectionTitle}>Computed fields</legend>
        {config.fields.map((field, i) => (
          <div key={i} className={styles.inlineForm}>
            <div className={styles.row}>
              <TextControl id={id('fields', i, 'name')} label={`Field ${i + 1} name`} value={field.name} onCommit={(name) => set({ fields: config.fields.map((f, j) => (j === i ? { ...f, name: name.trim() } : f)) })} problems={problemsAt(problems, ['fields', i, 'name'])} disabled={!editable} />
              <p className={styles.type}>Type: {typeOf(field.name) ?? 'unknown until the expression is valid'}</p>
              {editable ? <RemoveButton label={`Remove field ${field.name || i + 1}`} onClick={() => set({ fields: config.fields.filter((_, j) => j !== i) })} /> : null}
            </div>
            <ExpressionField
              id={id('fields', i, 'expression')}
              label={`Field ${i + 1} expression`}
              value={field.expression}
              onCommit={(expression) => set({ fields: config.fields.map((f, j) => (j === i ? { ...f, expression } : f)) })}
              input={input}
              problems={problemsAt(problems, ['fields', i, 'expression'])}
              editable={editable}
            />
          </div>
        ))}
        <ProblemText id={id('fields', 'error')} problems={listProblems(problems, 'fields')} />
        {editable ? <AddButton label="Add field" onClick={() => set({ fields: [...config.fields, { name: `field_${config.fields.length + 1}`, expression: '' }] })} /> : null}
      </fieldset>
      <OutputFields output={output} />
    </div>
  );
}
