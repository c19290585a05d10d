'use client';

import { Trash2, Unplug } from 'lucide-react';
import { useId } from 'react';
import { Select } from '@/components/ui/select';
import { toast } from '@/components/ui/toaster';
import type { FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterNode } from '@/lib/meters/graph';
import { MAX_LABEL } from '@/lib/meters/graph';
import { specOf } from '@/lib/meters/kinds';
import { nodeById } from './canvas-store';
import { problemsByNode } from './canvas-view';
import { connectableTargets } from './connection-rules';
import { useCanvas, useMeterEditor, usePreview } from './editor-context';
import { NodeSettings } from './node-settings';
import { PreviewRows } from './preview-rows';
import styles from './canvas.module.css';

const EMPTY: FlowSchema = { fields: [] };

/** The right-hand panel: the selected node's label, settings, problems, output schema, preview rows and connections. */
export function SidePanel() {
  const { store, editable } = useMeterEditor();
  const selection = useCanvas((s) => s.selection);
  // From the analyzed graph, which changes with every label, config or structural change but never on a
  // move: dragging the selected node would otherwise render the whole inspector, its panel included, on
  // every frame. The inspector reads no position.
  const node = useCanvas((s) => (s.selection.nodes.length === 1 ? nodeById(s.analyzedGraph, s.selection.nodes[0]) : undefined));

  if (node) return <NodeInspector node={node} />;
  const count = selection.nodes.length + selection.edges.length;
  return (
    <aside className={styles.sidePanel} aria-label="Selected node">
      {count === 0 ? (
        <p className="muted">Select a node to configure it. Add nodes from the palette, by dragging or clicking, or press / for the quick-add.</p>
      ) : (
        <>
          <h2 className={styles.panelTitle}>
            {selection.nodes.length} node{selection.nodes.length === 1 ? '' : 's'}, {selection.edges.length} connection{selection.edges.length === 1 ? '' : 's'} selected
          </h2>
          {editable ? (
            <button type="button" className="button danger-outline" onClick={() => store.getState().deleteSelection()}>
              <Trash2 size={14} aria-hidden="true" /> Remove selected
            </button>
          ) : null}
        </>
      )}
    </aside>
  );
}

function NodeInspector({ node }: { node: MeterNode }) {
  const { store, editable, nodeName } = useMeterEditor();
  const analysis = useCanvas((s) => s.analysis);
  // Connections and names as of the last structural change (see SidePanel), not positions.
  const graph = useCanvas((s) => s.analyzedGraph);
  const { preview } = usePreview();
  const labelId = useId();
  const spec = specOf(node.kind);
  const problems = problemsByNode(analysis.problems).get(node.id) ?? [];
  const schemas = analysis.schemas[node.id] ?? { input: EMPTY, output: EMPTY };
  const targets = editable ? connectableTargets(graph, node.id) : [];
  const outgoing = graph.edges.filter((e) => e.source === node.id || e.target === node.id);
  const nameOf = (id: string) => nodeName(graph.nodes.find((n) => n.id === id) ?? node);
  const rows = preview?.nodes[node.id]?.rows;

  return (
    <aside className={styles.sidePanel} aria-label={`${nodeName(node)} settings`}>
      <h2 className={styles.panelTitle}>
        {nodeName(node)} <span className="muted small">{spec.label}</span>
      </h2>
      <div className={styles.panelField}>
        <label htmlFor={labelId}>Name</label>
        <input
          id={labelId}
          value={node.label}
          placeholder={spec.label}
          maxLength={MAX_LABEL}
          readOnly={!editable}
          onChange={(event) => store.getState().setLabel(node.id, event.target.value)}
        />
      </div>

      <NodeSettings node={node} input={schemas.input} output={schemas.output} problems={problems} previewRows={rows} />

      {problems.length > 0 ? (
        <section aria-label={`Problems of ${nodeName(node)}`}>
          <h3 className={styles.panelHeading}>Problems</h3>
          <ul className={styles.nodeProblems}>
            {problems.map((p, i) => (
              <li key={`${p.code}-${i}`} className={p.severity === 'error' ? styles.problemError : styles.problemWarning}>
                {p.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-label={`Fields leaving ${nodeName(node)}`}>
        <h3 className={styles.panelHeading}>Output</h3>
        {schemas.output.fields.length === 0 ? (
          <p className="muted small">{spec.category === 'target' ? 'A target sends nothing on.' : 'No fields yet: configure the node or connect its input.'}</p>
        ) : (
          <ul className={styles.schemaList}>
            {schemas.output.fields.map((f) => (
              <li key={f.name}>
                <code>{f.name}</code>: {f.type}
                {f.required ? '' : ' (optional)'}
              </li>
            ))}
          </ul>
        )}
      </section>

      {rows ? <PreviewRows rows={rows} title={`Preview of what leaves ${nodeName(node)}`} /> : null}

      <section aria-label={`Connections of ${nodeName(node)}`}>
        <h3 className={styles.panelHeading}>Connections</h3>
        {outgoing.length > 0 ? (
          <ul className={styles.connectionList}>
            {outgoing.map((e) => (
              <li key={e.id}>
                {e.source === node.id ? `→ ${nameOf(e.target)}` : `← ${nameOf(e.source)}`}
                {editable ? (
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`Disconnect ${nameOf(e.source)} from ${nameOf(e.target)}`}
                    onClick={() => store.getState().removeElements([], [e.id])}
                  >
                    <Unplug size={12} aria-hidden="true" />
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">Not connected.</p>
        )}
        {spec.category !== 'target' && editable ? (
          <Select
            key={`${node.id}-${graph.edges.length}`}
            ariaLabel={`Connect ${nodeName(node)} to…`}
            placeholder={targets.length > 0 ? 'Connect to…' : 'Nothing to connect to'}
            disabled={targets.length === 0}
            options={targets.map((t) => ({ value: t.id, label: `${nodeName(t)} (${specOf(t.kind).label})` }))}
            onValueChange={(target) => {
              const refusal = store.getState().connect(node.id, target);
              if (refusal) toast.error(refusal);
            }}
          />
        ) : null}
      </section>

      {editable ? (
        <button type="button" className="button danger-outline" onClick={() => store.getState().removeElements([node.id])}>
          <Trash2 size={14} aria-hidden="true" /> Remove {nodeName(node)}
        </button>
      ) : null}
    </aside>
  );
}
