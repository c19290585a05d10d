'use client';

import { Handle, Position, type NodeProps } from '@xyflow/react';
import { AlertTriangle, Database, Filter, Target } from 'lucide-react';
import { memo } from 'react';
import type { CanvasNode } from './canvas-view';
import styles from './canvas.module.css';

const SHOWN_FIELDS = 6;
const ICONS = { source: Database, processor: Filter, target: Target } as const;

/** A node on the canvas: title, kind, the kind's summary, the schema it sends on, and its problems. */
export const MeterNodeView = memo(function MeterNodeView({ data, selected }: NodeProps<CanvasNode>) {
  const Icon = ICONS[data.category];
  const marked = data.errors > 0 ? styles.nodeError : data.warnings > 0 ? styles.nodeWarning : '';
  return (
    <div className={`${styles.node} ${styles[data.category]} ${marked} ${selected ? styles.nodeSelected : ''}`}>
      {data.category !== 'source' ? <Handle type="target" position={Position.Left} className={styles.handle} /> : null}
      <div className={styles.nodeHeader}>
        <Icon size={14} aria-hidden="true" />
        <span className={styles.nodeTitle}>{data.title}</span>
        {data.errors + data.warnings > 0 ? (
          <span className={styles.problemBadge} title={data.firstProblem} data-testid="node-problem-badge">
            <AlertTriangle size={12} aria-hidden="true" />
            {data.errors + data.warnings}
            <span className="sr-only"> problem{data.errors + data.warnings === 1 ? '' : 's'}: {data.firstProblem}</span>
          </span>
        ) : null}
      </div>
      <div className={styles.nodeKind}>{data.kindLabel}</div>
      {data.summary ? <div className={styles.nodeSummary}>{data.summary}</div> : null}
      {data.output.length > 0 ? (
        <ul className={styles.nodeSchema} aria-label={`Fields leaving ${data.title}`}>
          {data.output.slice(0, SHOWN_FIELDS).map((field) => (
            <li key={field.name}>
              {field.name}: <span className={styles.fieldType}>{field.type}</span>
            </li>
          ))}
          {data.output.length > SHOWN_FIELDS ? <li className="muted">+{data.output.length - SHOWN_FIELDS} more</li> : null}
        </ul>
      ) : null}
      {data.previewOut !== null ? <div className={styles.nodePreview}>{data.previewOut.toLocaleString('en-US')} out</div> : null}
      {data.category !== 'target' ? <Handle type="source" position={Position.Right} className={styles.handle} /> : null}
    </div>
  );
});

export const NODE_TYPES = { source: MeterNodeView, processor: MeterNodeView, target: MeterNodeView };
