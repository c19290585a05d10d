'use client';

import { Tooltip } from '@/components/ui/tooltip';
import type { StoreStatusLabel } from '@/lib/event-store/store-status';

const TONE: Record<StoreStatusLabel, string> = {
  Orphan: 'badge status-orphan',
  'In use · Idle': 'badge status-idle',
  'In use · Writing': 'badge status-writing',
  Deleting: 'badge status-deleting',
};

/** What each status means and what the user can do about it (the badge's tooltip and the list's legend). */
export const STATUS_HELP: Record<StoreStatusLabel, { meaning: string; next: string }> = {
  Orphan: {
    meaning: 'No meter uses this store yet. It keeps its events and accepts uploads and API ingest.',
    next: 'Nothing is wrong: connect it to a meter as a source or target when you build one.',
  },
  'In use · Idle': {
    meaning: 'A meter uses this store; nothing is writing to it or deleting from it right now.',
    next: 'You can upload, replay or backfill it.',
  },
  'In use · Writing': {
    meaning: 'A meter run is writing events into this store now.',
    next: 'Uploads still work; a backfill can start once the run has finished.',
  },
  Deleting: {
    meaning: 'A backfill is deleting events from this store now.',
    next: 'Uploads and runs are refused until it finishes: try again in a few minutes.',
  },
};

/** A store's status, explained in a tooltip on hover and on keyboard focus (the badge is a Tab stop for that). */
export function StatusBadge({ label }: { label: StoreStatusLabel }) {
  const help = STATUS_HELP[label];
  return (
    <Tooltip
      content={
        <>
          <strong>{label}</strong>: {help.meaning} {help.next}
        </>
      }
    >
      <span className={`${TONE[label]} focusable`} tabIndex={0}>
        {label}
      </span>
    </Tooltip>
  );
}

/** The four statuses in one small list under the stores table. */
export function StatusLegend() {
  return (
    <section aria-labelledby="status-legend-title" className="status-legend">
      <h2 id="status-legend-title" className="small muted">
        Status
      </h2>
      <dl>
        {(Object.keys(STATUS_HELP) as StoreStatusLabel[]).map((label) => (
          <div key={label}>
            <dt>
              <span className={TONE[label]}>{label}</span>
            </dt>
            <dd className="small muted">{STATUS_HELP[label].meaning}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
