'use client';

import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { EventStoreTargetConfig } from '@/lib/meters/kinds';
import { SelectControl } from '@/components/meters/panels/controls';
import { MappingTable } from '@/components/meters/panels/mapping-table';
import { CreateStoreInline } from '@/components/meters/panels/new-store-form';
import { suggestMapping } from '@/lib/meters/kinds';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import { storeOptions } from '@/components/meters/panels/store-options';
import styles from '@/components/meters/panels/panels.module.css';

/**
 * Event Store target: the store (or a new one made here), and each of its definition's fields filled from
 * the incoming records.
 */
export function EventStoreTargetPanel({ node, config, onChange, input, context, definitions = [], problems, editable }: PanelProps<EventStoreTargetConfig>) {
  const store = context.stores.get(config.storeId);
  const suggestFor = (storeId: string) => {
    const chosen = context.stores.get(storeId);
    return chosen ? suggestMapping(chosen.definition.fields, input, chosen.definition.eventTimeField) : {};
  };
  const choose = (storeId: string) => {
    const fields = new Set(context.stores.get(storeId)?.definition.fields.map((f) => f.name));
    // Rows the new store also has stay as they were; the rest is suggested by name.
    const kept = Object.fromEntries(Object.entries(config.mapping).filter(([name]) => fields.has(name)));
    onChange({ storeId, mapping: { ...suggestFor(storeId), ...kept } });
  };
  return (
    <div className={styles.panel}>
      <SelectControl
        id={pathId(node.id, ['storeId'])}
        label="Event store"
        placeholder="Choose a store"
        value={config.storeId}
        options={storeOptions(context)}
        onChange={choose}
        problems={problemsAt(problems, ['storeId'])}
        hint="The mapping is suggested by field name when you choose a store."
        disabled={!editable}
      />
      {editable ? (
        // The new store reaches the context when the page has refreshed; "Suggest mapping" then fills the rows.
        <CreateStoreInline idPrefix={node.id} definitions={definitions} onCreated={(storeId) => onChange({ storeId, mapping: {} })} />
      ) : null}
      {store ? (
        <MappingTable
          nodeId={node.id}
          target={`store “${store.name}”`}
          fields={store.definition.fields}
          eventTimeField={store.definition.eventTimeField}
          mapping={config.mapping}
          onChange={(mapping) => onChange({ ...config, mapping })}
          onSuggest={() => onChange({ ...config, mapping: { ...suggestFor(config.storeId), ...config.mapping } })}
          input={input}
          problems={problems}
          editable={editable}
        />
      ) : null}
    </div>
  );
}
