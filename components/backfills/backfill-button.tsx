'use client';

import { Eraser } from 'lucide-react';
import Link from 'next/link';
import { Tooltip } from '@/components/ui/tooltip';
import { formatDateTime } from '@/components/ui/format';
import type { StoreHolder } from '@/lib/event-store/store-holder';
import { useStoreHolder } from './use-store-holder';

const DOING = { writing: 'is writing to this store', deleting: 'is deleting events from this store' } as const;

/** Why Backfill waits, in one sentence naming the holder and since when. */
export function holderReason(holder: StoreHolder): string {
  if (holder.activity === 'idle') return '';
  const who = holder.label ?? (holder.activity === 'writing' ? 'a run' : 'a backfill');
  const since = holder.since ? ` since ${formatDateTime(new Date(holder.since))}` : '';
  return `Backfill waits: ${who} ${DOING[holder.activity]}${since}. It comes back by itself when the store is free.`;
}

/**
 * The store page's Backfill button: a link to the backfill page while the store is free; while a run or a
 * backfill holds it (or the user may not delete events), a disabled link whose tooltip says why, with a link
 * to the holder beside it. It follows the store by polling, so it comes back by itself, without a reload.
 */
export function BackfillButton({ storeId, initial, refusal }: { storeId: string; initial: StoreHolder; refusal: string | null }) {
  const holder = useStoreHolder(storeId, initial, refusal === null);
  const content = (
    <>
      <Eraser size={16} aria-hidden="true" /> Backfill
    </>
  );
  if (!refusal && holder.activity === 'idle') {
    return (
      <Link href={`/event-stores/${storeId}/backfill`} className="button secondary">
        {content}
      </Link>
    );
  }
  return (
    <span className="backfill-action">
      <Tooltip content={refusal ?? holderReason(holder)}>
        {/* Focusable while disabled, so keyboard users reach the tooltip that says why. */}
        <a role="link" aria-disabled="true" tabIndex={0} className="button secondary">
          {content}
        </a>
      </Tooltip>
      {!refusal && holder.href ? (
        <Link href={holder.href} className="small">
          {holder.href.startsWith('/runs/') ? 'Open the run' : 'Open the backfill'}
        </Link>
      ) : null}
    </span>
  );
}
