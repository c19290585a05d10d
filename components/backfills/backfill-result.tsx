'use client';

import Link from 'next/link';
import { RunMeterButton } from '@/components/runs/run-meter-button';
import { formatDateTime } from '@/components/ui/format';
import type { BackfillView } from '@/lib/backfills/types';
import type { StoreStatusLabel } from '@/lib/event-store/store-status';
import type { RunMode } from '@/lib/meters/run-mode';
import { BackfillCounts } from './backfill-preview-step';
import { replayFrame } from './replay-frame';
import { confirmShortfall } from './undo-outcome';

export interface ReplayContext {
  /** How each meter of the workspace that writes this store runs (by id); missing = nothing to run. */
  meterModes: Record<string, RunMode | null>;
  /** Why this user may not run meters, or null. */
  runRefusal: string | null;
}

/** Done: the numbers, the store's status now, and the natural next step: replay the meters that write it. */
export function BackfillResult({ backfill, storeStatus, replay }: { backfill: BackfillView; storeStatus: StoreStatusLabel | null; replay: ReplayContext }) {
  const deleted = backfill.deleted ?? 0;
  const shortfall = confirmShortfall(backfill);
  return (
    <>
      <p role="status" className="form-status ok">
        Deleted {deleted.toLocaleString('en-US')} {deleted === 1 ? 'event' : 'events'} from {backfill.store.name}
        {backfill.confirmedAt ? ` at ${formatDateTime(new Date(backfill.confirmedAt))}` : ''}.
        {storeStatus ? ` The store is ${storeStatus} again.` : ''}
      </p>
      {shortfall ? <p className="note">{shortfall}</p> : null}
      <BackfillCounts
        items={[
          ['Requested', backfill.requested],
          ['Deleted', deleted],
          ['Not found', backfill.requested - deleted],
        ]}
      />
      {backfill.status === 'undone' ? <p className="note">This backfill was undone{backfill.undoneBy ? ` by ${backfill.undoneBy}` : ''}: its events were written back.</p> : null}
      <p>
        <Link href={`/event-stores/${backfill.store.id}`}>Back to {backfill.store.name}</Link> (its counts, time range and chart are up to date; Undo is in its Backfills list).
      </p>
      {backfill.status === 'completed' && backfill.frame ? <ReplayOffer backfill={backfill} frame={backfill.frame} replay={replay} /> : null}
    </>
  );
}

function ReplayOffer({ backfill, frame, replay }: { backfill: BackfillView; frame: { from: string; to: string }; replay: ReplayContext }) {
  const widened = replayFrame(frame);
  return (
    <section aria-labelledby="replay-title" className="replay-offer">
      <h3 id="replay-title">Next: replay</h3>
      {backfill.writerMeters.length === 0 ? (
        <p className="muted">No saved meter writes this store, so there is nothing to replay.</p>
      ) : (
        <>
          <p>
            The deleted events spanned {formatDateTime(new Date(widened.from))} to {formatDateTime(new Date(widened.to))}. Replay the meters that write this store over that frame
            to rebuild it from their sources; the Run dialog opens with the frame filled in.
          </p>
          <ul className="plain-list replay-list">
            {backfill.writerMeters.map((meter) => (
              <li key={meter.id}>
                <RunMeterButton meter={meter} mode={replay.meterModes[meter.id] ?? null} refusal={replay.runRefusal} prefill={{ frame: widened }} text={`Replay ${meter.name}`} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
