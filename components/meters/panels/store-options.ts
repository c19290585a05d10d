import type { MeterContext } from '@/lib/meters/kind-spec';

/** The workspace's stores as choices, by name, each with its definition. */
export const storeOptions = (context: MeterContext) =>
  [...context.stores.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((store) => ({ value: store.id, label: `${store.name} (${store.definition.name})` }));
