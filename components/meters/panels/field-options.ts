import type { SelectOption } from '@/components/ui/select';
import type { FlowSchema } from '@/lib/meters/flow-schema';

/** The incoming fields as choices, "name (type)". */
export const fieldOptions = (flow: FlowSchema, only?: (type: string) => boolean): SelectOption[] =>
  flow.fields.filter((f) => !only || only(f.type)).map((f) => ({ value: f.name, label: `${f.name} (${f.type})` }));

export const datetimeFieldOptions = (flow: FlowSchema) => fieldOptions(flow, (type) => type === 'datetime');

/** "minute" / "minutes" as the amount reads. */
export const unitOptions = (units: readonly string[], amount: number): SelectOption[] =>
  units.map((unit) => ({ value: unit, label: amount === 1 ? unit : `${unit}s` }));
