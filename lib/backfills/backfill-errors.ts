import type { BackfillStatus } from '@/lib/backfills/types';
import { AppError } from '@/lib/errors';

/** What a refusal says about a backfill's state. */
export interface StatusFacts {
  status: BackfillStatus;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  undoneAt: Date | null;
  undoneBy: string | null;
}

const at = (when: Date | null, who: string | null) => `${when ? ` on ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}${who ? ` by ${who}` : ''}`;

/** Why a backfill cannot be confirmed (409 BACKFILL_NOT_PENDING). */
export function notPendingError(backfill: StatusFacts): AppError {
  const why: Record<BackfillStatus, string> = {
    previewed: 'is waiting for confirmation',
    completed: `was already confirmed${at(backfill.confirmedAt, backfill.confirmedBy)}`,
    undone: `was already confirmed and then undone${at(backfill.undoneAt, backfill.undoneBy)}`,
    failed: 'failed',
  };
  return new AppError('BACKFILL_NOT_PENDING', `This backfill ${why[backfill.status]}, so it cannot be confirmed again. Upload the file again for a new preview.`, {
    status: 409,
    details: { status: backfill.status },
  });
}

/** Why a backfill cannot be undone (409 BACKFILL_NOT_UNDOABLE): only a completed one can, once. */
export function notUndoableError(backfill: StatusFacts): AppError {
  const why: Record<BackfillStatus, string> = {
    previewed: 'was never confirmed, so no event was deleted and there is nothing to undo',
    completed: 'can be undone',
    undone: `was already undone${at(backfill.undoneAt, backfill.undoneBy)}; an undo is not repeated`,
    failed: 'failed, so no event was deleted and there is nothing to undo',
  };
  return new AppError('BACKFILL_NOT_UNDOABLE', `This backfill ${why[backfill.status]}.`, { status: 409, details: { status: backfill.status } });
}
