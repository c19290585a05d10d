'use client';

import { Plus } from 'lucide-react';
import type { DragEvent } from 'react';
import type { NodeCategory, NodeKind } from '@/lib/meters/graph';
import { NODE_KIND_SPECS } from '@/lib/meters/kinds';
import { PALETTE_MIME } from './flow-canvas';
import { useMeterEditor } from './editor-context';
import { useAddNode } from './use-add-node';
import styles from './canvas.module.css';

export const CATEGORY_TITLES: Record<NodeCategory, string> = { source: 'Sources', processor: 'Processors', target: 'Targets' };

/** Every kind, grouped as the palette and the quick-add show them. */
export function kindsByCategory() {
  const specs = Object.values(NODE_KIND_SPECS);
  return (['source', 'processor', 'target'] as const).map((category) => ({ category, specs: specs.filter((s) => s.category === category) }));
}

/** The node kinds, grouped: drag one onto the canvas, or click it to add it next to the selected node. */
export function Palette() {
  const { editable } = useMeterEditor();
  const addNode = useAddNode();
  const onDragStart = (event: DragEvent, kind: NodeKind) => {
    event.dataTransfer.setData(PALETTE_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className={styles.palette} aria-label="Node palette">
      {kindsByCategory().map(({ category, specs }) => (
        <section key={category} aria-labelledby={`palette-${category}`}>
          <h2 id={`palette-${category}`} className={styles.paletteTitle}>
            {CATEGORY_TITLES[category]}
          </h2>
          <ul className={styles.paletteList}>
            {specs.map((spec) => (
              <li key={spec.kind}>
                <button
                  type="button"
                  className={`${styles.paletteItem} ${styles[category]}`}
                  draggable={editable}
                  disabled={!editable}
                  onDragStart={(event) => onDragStart(event, spec.kind)}
                  onClick={() => addNode(spec.kind)}
                  aria-label={`Add ${spec.label}`}
                  title={spec.description}
                >
                  <Plus size={14} aria-hidden="true" />
                  <span>{spec.label}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
