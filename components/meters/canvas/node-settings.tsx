'use client';

import { useMemo, useState } from 'react';
import { configForPanel, PANELS } from '@/components/meters/panels';
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
 * The selected node's settings: its kind's panel (components/meters/panels) with the config as the panel
 * can show it, and, folded away below it, the settings as JSON (to copy a configuration from one meter to
 * another, or to fix one the panel cannot show).
 */
export function NodeSettings({ node, input, output, problems, previewRows }: NodeSettingsProps) {
  const { store, editable, context, definitions, meterId } = useMeterEditor();
  const spec = specOf(node.kind);
  const Panel = PANELS[node.kind];
  const onChange = (config: unknown) => store.getState().updateConfig(node.id, config);
  // Parsed once per config: panels derive state from it (a file's rows for the preview), and a fresh object
  // on every render would hand the same rows up again after every preview, without end.
  const config = useMemo(() => configForPanel(spec.configSchema, spec.defaultConfig(), node.config), [spec, node.config]);
  return (
    <>
      <Panel
        key={node.id}
        node={node}
        config={config}
        onChange={onChange}
        input={input}
        output={output}
        context={context}
        definitions={definitions}
        problems={problems}
        previewRows={previewRows}
        editable={editable}
        meterId={meterId}
        onSampleRows={(nodeId, rows) => store.getState().setSampleRows(nodeId, rows)}
      />
      <details className={styles.jsonDetails}>
        <summary>Settings as JSON</summary>
        <JsonSettings key={node.id} node={node} editable={editable} onChange={onChange} />
      </details>
    </>
  );
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
