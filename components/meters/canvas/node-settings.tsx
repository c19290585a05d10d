'use client';

import { useState } from 'react';
import type { FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterNode } from '@/lib/meters/graph';
import { specOf } from '@/lib/meters/kinds';
import type { MeterProblem } from '@/lib/meters/problems';
import { useMeterEditor } from './editor-context';
import styles from './canvas.module.css';

interface NodeSettingsProps {
  node: MeterNode;
  input: FlowSchema;
  output: FlowSchema;
  problems: MeterProblem[];
  previewRows?: FlowRecord[];
}

/**
 * The selected node's settings: its kind's panel (components/meters/panels) with the config parsed by the
 * kind's schema. Until the panels exist, the config as JSON, applied with a button.
 */
export function NodeSettings({ node }: NodeSettingsProps) {
  const { store, editable } = useMeterEditor();
  return <JsonSettings key={node.id} node={node} editable={editable} onChange={(config) => store.getState().updateConfig(node.id, config)} />;
}

/** The config as JSON text: what a kind without a panel of its own offers. */
function JsonSettings({ node, editable, onChange }: { node: MeterNode; editable: boolean; onChange: (config: unknown) => void }) {
  const shown = JSON.stringify(node.config ?? specOf(node.kind).defaultConfig(), null, 2);
  const [text, setText] = useState(shown);
  const [error, setError] = useState('');
  const [seen, setSeen] = useState(shown);
  if (shown !== seen) {
    // Undo, redo or a paste changed the config under the field: show the new one.
    setSeen(shown);
    setText(shown);
    setError('');
  }
  const apply = () => {
    try {
      onChange(JSON.parse(text));
      setError('');
    } catch {
      setError('The settings are not valid JSON: check quotes, commas and brackets.');
    }
  };
  return (
    <div className={styles.jsonSettings}>
      <label htmlFor={`settings-${node.id}`}>Settings (JSON)</label>
      <textarea
        id={`settings-${node.id}`}
        value={text}
        onChange={(event) => setText(event.target.value)}
        readOnly={!editable}
        rows={Math.min(16, text.split('\n').length + 1)}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `settings-${node.id}-error` : undefined}
      />
      {error ? (
        <p id={`settings-${node.id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {editable ? (
        <button type="button" className="button secondary" onClick={apply} disabled={text === shown}>
          Apply settings
        </button>
      ) : null}
    </div>
  );
}
