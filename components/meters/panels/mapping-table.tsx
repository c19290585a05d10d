'use client';

import { Wand2 } from 'lucide-react';
import type { FlowField, FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterProblem } from '@/lib/meters/problems';
import { ProblemText, TextControl } from '@/components/meters/panels/controls';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import styles from '@/components/meters/panels/panels.module.css';

/**
 * A target's mapping: one row per target field (name, type, required, event-time badge) with the
 * expression that fills it, usually an incoming field's name — offered in the input's list as you type, any
 * expression accepted. Each row shows its own problems (not mapped, wrong type, expression errors).
 */
export function MappingTable({
  nodeId,
  target,
  fields,
  eventTimeField,
  mapping,
  onChange,
  onSuggest,
  input,
  problems,
  editable,
}: {
  nodeId: string;
  /** "store “api-calls”", "usage records": names the table. */
  target: string;
  fields: readonly FlowField[];
  eventTimeField: string | null;
  mapping: Record<string, string>;
  onChange: (mapping: Record<string, string>) => void;
  onSuggest: () => void;
  input: FlowSchema;
  problems: readonly MeterProblem[];
  editable: boolean;
}) {
  const listId = pathId(nodeId, ['mapping', 'incoming']);
  const setRow = (name: string, source: string) => {
    const next = { ...mapping };
    if (source.trim()) next[name] = source.trim();
    else delete next[name];
    onChange(next);
  };
  const stray = problems.filter((p) => p.configPath?.[0] === 'mapping' && !fields.some((f) => f.name === p.configPath?.[1]));
  return (
    <div className={styles.section}>
      <datalist id={listId}>
        {input.fields.map((f) => (
          <option key={f.name} value={f.name}>{`${f.name} (${f.type})`}</option>
        ))}
      </datalist>
      <table className={styles.table}>
        <caption className={styles.sectionTitle}>Mapping onto {target}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">From (field or expression)</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => (
            <tr key={field.name}>
              <th scope="row" className="small">
                {field.name}
                {field.name === eventTimeField ? <span className={styles.badge}>event time</span> : null}
                <br />
                <span className={styles.type}>
                  {field.type}
                  {field.required ? ', required' : ', optional'}
                </span>
              </th>
              <td>
                <TextControl
                  id={pathId(nodeId, ['mapping', field.name])}
                  label={`Mapping of ${field.name}`}
                  hiddenLabel
                  list={listId}
                  placeholder={field.required ? 'Required' : 'Not mapped'}
                  value={mapping[field.name] ?? ''}
                  onCommit={(source) => setRow(field.name, source)}
                  problems={problemsAt(problems, ['mapping', field.name])}
                  disabled={!editable}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ProblemText id={pathId(nodeId, ['mapping', 'error'])} problems={stray} />
      {editable ? (
        <button type="button" className={styles.secondary} onClick={onSuggest} disabled={input.fields.length === 0}>
          <Wand2 size={16} aria-hidden="true" /> Suggest mapping
        </button>
      ) : null}
    </div>
  );
}
