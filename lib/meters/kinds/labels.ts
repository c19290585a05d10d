import type { MeterNode, NodeKind } from '@/lib/meters/graph';

/** Each kind's name in the palette, on the canvas and in messages. The registry's `label` reads from here. */
export const KIND_LABELS: { readonly [K in NodeKind]: string } = {
  'source.eventStore': 'Event Store source',
  'source.fileUpload': 'File upload',
  'source.httpIngest': 'HTTP ingest',
  'source.businessEvents': 'Business Events source',
  'processor.filter': 'Filter',
  'processor.map': 'Map',
  'processor.deduplicate': 'Deduplicate',
  'processor.aggregate': 'Aggregate',
  'target.eventStore': 'Event Store target',
  'target.usageRecords': 'Usage records',
  'target.webhook': 'Webhook',
};

/** How messages name a node: its kind, and the user's label when it has one (Filter “Drop test accounts”). */
export function nodeName(node: Pick<MeterNode, 'kind' | 'label'>): string {
  const kind = KIND_LABELS[node.kind];
  return node.label ? `${kind} “${node.label}”` : kind;
}
