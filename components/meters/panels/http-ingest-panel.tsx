'use client';

import Link from 'next/link';
import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { HttpIngestConfig } from '@/lib/meters/kinds';
import { nextFieldName, SchemaTable } from '@/components/meters/panels/schema-table';
import styles from '@/components/meters/panels/panels.module.css';

/** The path clients POST events to for a meter's HTTP ingest source. */
export const ingestEndpointOf = (meterId: string) => `/api/v1/meters/${encodeURIComponent(meterId)}/events`;

/** HTTP ingest: the records' schema, and where clients send them (the meter's own endpoint, with an API key). */
export function HttpIngestPanel({ node, config, onChange, problems, editable, meterId }: PanelProps<HttpIngestConfig>) {
  return (
    <div className={styles.panel}>
      <section className={styles.section} aria-label="Endpoint">
        <h3 className={styles.sectionTitle}>Endpoint</h3>
        {meterId ? (
          <p className={styles.code}>POST {ingestEndpointOf(meterId)}</p>
        ) : (
          <p className="hint">Save the meter to get its endpoint.</p>
        )}
        <p className="hint">
          It accepts events (a JSON array or NDJSON, shaped by the fields below) once the meter is started; clients authenticate with an API
          key (<code>Authorization: Bearer umc_…</code>). <Link href="/settings/api-keys">Create an API key</Link>
        </p>
      </section>
      <SchemaTable
        nodeId={node.id}
        caption="Fields of the incoming events"
        fields={config.fields}
        onChange={(fields) => onChange({ ...config, fields })}
        problems={problems}
        editable={editable}
        newField={(fields) => ({ name: nextFieldName(fields), type: 'string', required: false })}
      />
    </div>
  );
}
