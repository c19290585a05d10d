'use client';

import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { EventStoreSourceConfig } from '@/lib/meters/kinds';
import { SelectControl } from '@/components/meters/panels/controls';
import { CreateStoreInline } from '@/components/meters/panels/new-store-form';
import { OutputFields } from '@/components/meters/panels/output-fields';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import { storeOptions } from '@/components/meters/panels/store-options';
import styles from '@/components/meters/panels/panels.module.css';

/** Event Store source: one of the workspace's stores (or a new one made here); its events flow out in time order. */
export function EventStoreSourcePanel({ node, config, onChange, context, definitions = [], problems, editable }: PanelProps<EventStoreSourceConfig>) {
  const store = context.stores.get(config.storeId);
  return (
    <div className={styles.panel}>
      <SelectControl
        id={pathId(node.id, ['storeId'])}
        label="Event store"
        placeholder={context.stores.size ? 'Choose a store' : 'No stores yet: create one'}
        value={config.storeId}
        options={storeOptions(context)}
        onChange={(storeId) => onChange({ ...config, storeId })}
        problems={problemsAt(problems, ['storeId'])}
        disabled={!editable}
      />
      {editable ? <CreateStoreInline idPrefix={node.id} definitions={definitions} onCreated={(storeId) => onChange({ ...config, storeId })} /> : null}
      {/* From the context, not `output`: a store created here is in the context as soon as the page has refreshed it. */}
      {store ? <OutputFields output={{ fields: store.definition.fields }} title={`Fields of ${store.definition.name}`} /> : null}
    </div>
  );
}
