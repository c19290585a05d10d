'use client';

import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { UsageRecordsTargetConfig } from '@/lib/meters/kinds';
import { MappingTable } from '@/components/meters/panels/mapping-table';
import { suggestMapping, USAGE_RECORD_FIELDS } from '@/lib/meters/kinds';
import styles from '@/components/meters/panels/panels.module.css';

/** Usage records: each usage-record field filled from the incoming records; the start is the event time. */
export function UsageRecordsPanel({ node, config, onChange, input, problems, editable }: PanelProps<UsageRecordsTargetConfig>) {
  return (
    <div className={styles.panel}>
      <MappingTable
        nodeId={node.id}
        target="usage records"
        fields={USAGE_RECORD_FIELDS}
        eventTimeField="startDateTime"
        mapping={config.mapping}
        onChange={(mapping) => onChange({ ...config, mapping })}
        onSuggest={() => onChange({ ...config, mapping: { ...suggestMapping(USAGE_RECORD_FIELDS, input, 'startDateTime'), ...config.mapping } })}
        input={input}
        problems={problems}
        editable={editable}
      />
      <p className="hint">A record with the same unique key as an earlier one replaces it. Subscription and charge may stay unmapped.</p>
    </div>
  );
}
