import type { FlowRecord } from '@/lib/meters/flow-schema';
import styles from './canvas.module.css';

const SHOWN_ROWS = 20;

const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The first rows the preview sent out of a node, as a table with one column per field. */
export function PreviewRows({ rows, title }: { rows: FlowRecord[]; title: string }) {
  const columns = [...new Set(rows.slice(0, SHOWN_ROWS).flatMap((r) => Object.keys(r)))];
  return (
    <section aria-label={title}>
      <h3 className={styles.panelHeading}>Preview rows</h3>
      {rows.length === 0 ? (
        <p className="muted small">No record leaves this node in the sample.</p>
      ) : (
        // Wide records (a business event carries every field of its object) scroll sideways: focusable, so the
        // keyboard can scroll it too.
        <div className={styles.previewTable} tabIndex={0} role="region" aria-label={`${title} (scrolls sideways)`}>
          <table>
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, SHOWN_ROWS).map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>{cell(row[c])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > SHOWN_ROWS ? <p className="muted small">First {SHOWN_ROWS} of {rows.length.toLocaleString('en-US')} rows shown.</p> : null}
        </div>
      )}
    </section>
  );
}
