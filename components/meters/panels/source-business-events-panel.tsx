'use client';

import Link from 'next/link';
import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { BusinessEventsSourceConfig } from '@/lib/meters/kinds';
import { SelectControl } from '@/components/meters/panels/controls';
import { OutputFields } from '@/components/meters/panels/output-fields';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import styles from '@/components/meters/panels/panels.module.css';

const NEW_TRIGGER = '/custom-events/triggers/new';

/**
 * Business Events source: one of the workspace's event types (each made by one trigger); its events flow out in
 * change-time order, with the trigger's object's fields (current values, and previous ones as `Field_old`).
 */
export function BusinessEventsSourcePanel({ node, config, onChange, context, output, problems, editable }: PanelProps<BusinessEventsSourceConfig>) {
  const types = [...(context.eventTypes?.values() ?? [])].sort((a, b) => a.eventType.localeCompare(b.eventType));
  const typeProblems = problemsAt(problems, ['eventType']);
  if (types.length === 0) {
    return (
      <div className={styles.panel}>
        <section className={styles.section} aria-label="No business event types yet">
          <h3 className={styles.sectionTitle}>No business event types yet</h3>
          <p className="hint">
            Business events are made by triggers: a trigger watches a billing object&apos;s changes and fires an event type, such as InvoicePosted.{' '}
            <Link href={NEW_TRIGGER}>Create a trigger</Link>, then come back and choose its event type here.
          </p>
        </section>
      </div>
    );
  }
  return (
    <div className={styles.panel}>
      <SelectControl
        id={pathId(node.id, ['eventType'])}
        label="Business event type"
        placeholder="Choose an event type"
        value={config.eventType}
        options={types.map((t) => ({ value: t.eventType, label: `${t.eventType} (${t.object}${t.active ? '' : ', trigger inactive'})` }))}
        onChange={(eventType) => onChange({ ...config, eventType })}
        hint="Each event's time is its change time. Runs read All time or a time frame of it."
        problems={typeProblems}
        disabled={!editable}
      />
      {output.fields.length ? <OutputFields output={output} title="Fields of each event" /> : null}
    </div>
  );
}
