import { formatCount } from '@/components/ui/format';
import type { BackfillView } from '@/lib/backfills/types';

/** What an undo did, in words: restored, and skipped (newer events with the same ids, left alone). */
export function undoOutcome(undo: NonNullable<BackfillView['undo']>): string {
  const restored = `Restored ${formatCount(undo.restored)} ${undo.restored === 1 ? 'event' : 'events'}`;
  if (undo.skipped === 0) return `${restored}.`;
  const ids = undo.skippedIds.length ? `: ${undo.skippedIds.join(', ')}${undo.skipped > undo.skippedIds.length ? ', …' : ''}` : '';
  return `${restored}; skipped ${formatCount(undo.skipped)} whose id is stored again since (newer events, left alone)${ids}.`;
}

/**
 * Why a confirm deleted fewer events than its preview matched, or null: the rest no longer matched when it
 * ran (deleted, or stored again with another event time, since the preview; another backfill of the same
 * rows, say) and were left alone.
 */
export function confirmShortfall(backfill: Pick<BackfillView, 'matched' | 'deleted'>): string | null {
  const deleted = backfill.deleted ?? 0;
  const missing = backfill.matched - deleted;
  if (backfill.deleted === null || missing <= 0) return null;
  const rows = `${formatCount(missing)} of the ${formatCount(backfill.matched)} ${backfill.matched === 1 ? 'row' : 'rows'} that matched at the preview`;
  return `${rows} no longer matched a stored event when you confirmed (deleted, or stored again with another event time, since the preview), so they were left alone.`;
}
