import type { StoreStatusLabel } from '@/lib/event-store/store-status';

const TONE: Record<StoreStatusLabel, string> = {
  Orphan: 'badge status-orphan',
  'In use · Idle': 'badge status-idle',
  'In use · Writing': 'badge status-writing',
  Deleting: 'badge status-deleting',
};

export function StatusBadge({ label }: { label: StoreStatusLabel }) {
  return (
    <span className={TONE[label]} title={`Status: ${label}`}>
      {label}
    </span>
  );
}
