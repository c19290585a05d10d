import type { ConnectorItem } from '@/lib/custom-events/connectors/read-connectors';

const TONE: Record<ConnectorItem['status'], string> = {
  running: 'badge status-idle',
  starting: 'badge status-writing',
  error: 'badge status-deleting',
  stopped: 'badge status-orphan',
};

const LABEL: Record<ConnectorItem['status'], string> = { running: 'Running', starting: 'Starting', error: 'Error', stopped: 'Stopped' };

/** A connector's status as its runner last reported it. */
export function ConnectorStatusBadge({ status }: { status: ConnectorItem['status'] }) {
  return <span className={TONE[status]}>{LABEL[status]}</span>;
}

/** Lag in words: bytes of WAL the source holds for the connector. */
export function formatLag(bytes: number | null): string {
  if (bytes === null) return 'not measured yet';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
