import { formatCount } from '@/components/ui/format';
import type { BackfillView } from '@/lib/backfills/types';

/** What an undo did, in words: restored, and skipped (newer events with the same ids, left alone). */
export function undoOutcome(undo: NonNullable<BackfillView['undo']>): string {
  const restored = `Restored ${formatCount(undo.restored)} ${undo.restored === 1 ? 'event' : 'events'}`;
  if (undo.skipped === 0) return `${restored}.`;
  const ids = undo.skippedIds.length ? `: ${undo.skippedIds.join(', ')}${undo.skipped > undo.skippedIds.length ? ', …' : ''}` : '';
  return `${restored}; skipped ${formatCount(undo.skipped)} whose id is stored again since (newer events, left alone)${ids}.`;
}
