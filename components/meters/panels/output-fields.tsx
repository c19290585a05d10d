import type { FlowSchema } from '@/lib/meters/flow-schema';
import styles from '@/components/meters/panels/panels.module.css';

/** What leaves the node: each field with its type, as the analysis computed it. */
export function OutputFields({ output, title = 'Output fields' }: { output: FlowSchema; title?: string }) {
  return (
    <section className={styles.section} aria-label={title}>
      <h3 className={styles.sectionTitle}>{title}</h3>
      {output.fields.length === 0 ? (
        <p className="hint">None yet.</p>
      ) : (
        <ul className={styles.outputList}>
          {output.fields.map((f) => (
            <li key={f.name}>
              {f.name} <span className={styles.type}>{f.type}{f.required ? '' : ', optional'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
