'use client';

import { FIELD_TYPES } from '@/lib/event-definitions/definition-schema';
import type { FlowField } from '@/lib/meters/flow-schema';
import type { MeterProblem } from '@/lib/meters/problems';
import { AddButton, RemoveButton, RowsHead } from '@/components/meters/panels/buttons';
import { ProblemText, SelectControl, TextControl } from '@/components/meters/panels/controls';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import styles from '@/components/meters/panels/panels.module.css';

export const TYPE_OPTIONS = FIELD_TYPES.map((t) => ({ value: t, label: t }));

/**
 * The records' schema of a source (File upload, HTTP ingest): rename, retype, mark required, remove and,
 * where the schema is not read from a file, add fields. Rows keep any extra properties of `F` (a file
 * field's column) through every edit, so a renamed field still reads its column.
 */
export function SchemaTable<F extends FlowField>({
  nodeId,
  caption,
  fields,
  onChange,
  problems,
  editable,
  newField,
}: {
  nodeId: string;
  caption: string;
  fields: readonly F[];
  onChange: (fields: F[]) => void;
  problems: readonly MeterProblem[];
  editable: boolean;
  /** Given: an "Add field" button appends what it returns. */
  newField?: (taken: readonly F[]) => F;
}) {
  const update = (index: number, patch: Partial<FlowField>) => onChange(fields.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  const listProblems = problems.filter((p) => p.configPath?.length === 1 && p.configPath[0] === 'fields');
  return (
    <div className={styles.section}>
      <table className={styles.table}>
        <caption className={`${styles.sectionTitle} sr-only`}>{caption}</caption>
        <RowsHead columns={['Field', 'Type', 'Required']} removable={editable} />
        <tbody>
          {fields.map((field, i) => {
            const at = (key: string) => problemsAt(problems, ['fields', i, key]);
            return (
              <tr key={i}>
                <td>
                  <TextControl id={pathId(nodeId, ['fields', i, 'name'])} label={`Field ${i + 1} name`} hiddenLabel value={field.name} onCommit={(name) => update(i, { name: name.trim() })} problems={at('name')} disabled={!editable} />
                </td>
                <td>
                  <SelectControl id={pathId(nodeId, ['fields', i, 'type'])} label={`Field ${i + 1} type`} hiddenLabel value={field.type} options={TYPE_OPTIONS} onChange={(type) => update(i, { type: type as FlowField['type'] })} problems={at('type')} disabled={!editable} />
                </td>
                <td>
                  <input type="checkbox" aria-label={`Field ${i + 1} required`} checked={field.required} disabled={!editable} onChange={(e) => update(i, { required: e.target.checked })} />
                </td>
                {editable ? (
                  <td>
                    <RemoveButton label={`Remove field ${field.name || i + 1}`} onClick={() => onChange(fields.filter((_, j) => j !== i))} />
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {fields.length === 0 ? <p className="hint">No fields yet.</p> : null}
      <ProblemText id={pathId(nodeId, ['fields', 'error'])} problems={listProblems} />
      {editable && newField ? (
        <AddButton label="Add field" onClick={() => onChange([...fields, newField(fields)])} />
      ) : null}
    </div>
  );
}

/** "field_3", or the next number not taken. */
export function nextFieldName(fields: readonly { name: string }[]): string {
  const taken = new Set(fields.map((f) => f.name.toLowerCase()));
  let n = fields.length + 1;
  while (taken.has(`field_${n}`)) n++;
  return `field_${n}`;
}
