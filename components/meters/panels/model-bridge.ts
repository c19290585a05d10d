// TEMPORARY until lib/meters/kinds lands on main: the model's suggestMapping and USAGE_RECORD_FIELDS as the
// contract names them. Replaced by imports from lib/meters/kinds on merge.
import type { FlowField, FlowSchema } from '@/lib/meters/flow-schema';

export const USAGE_RECORD_FIELDS: readonly FlowField[] = [
  { name: 'accountNumber', type: 'string', required: true, description: 'The billing account the usage belongs to.' },
  { name: 'subscriptionNumber', type: 'string', required: false },
  { name: 'chargeNumber', type: 'string', required: false },
  { name: 'unitOfMeasure', type: 'string', required: true },
  { name: 'quantity', type: 'number', required: true },
  { name: 'startDateTime', type: 'datetime', required: true },
  { name: 'endDateTime', type: 'datetime', required: true },
  { name: 'uniqueKey', type: 'string', required: true },
];

export function suggestMapping(targetFields: readonly { name: string; type: string }[], input: FlowSchema, _eventTimeField?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of targetFields) {
    const match = input.fields.find((i) => i.name.toLowerCase() === f.name.toLowerCase());
    if (match) out[f.name] = match.name;
  }
  return out;
}
