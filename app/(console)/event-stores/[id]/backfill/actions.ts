'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { requirePermission } from '@/lib/auth/request-context';
import { confirmBackfill } from '@/lib/backfills/confirm-backfill';
import { undoBackfill } from '@/lib/backfills/undo-backfill';
import { getStore } from '@/lib/event-store/get-store';

const backfillIdInput = z.object({ backfillId: z.uuid({ error: 'Say which backfill.' }) });

/** A backfill changes the store's counts, chart, status and backfills list, and the stores list. */
function revalidateStore(storeId: string) {
  revalidatePath(`/event-stores/${storeId}`);
  revalidatePath('/event-stores');
}

/** Confirm on the backfill page: deletes the previewed backfill's matched events; answers with the store's status after. */
export const confirmBackfillAction = defineAction({
  name: 'backfill.confirm',
  input: backfillIdInput,
  authorize: requirePermission('events.delete'),
  run: async ({ backfillId }, context) => {
    const backfill = await confirmBackfill(context, backfillId);
    revalidateStore(backfill.store.id);
    const store = await getStore(context.workspaceId, backfill.store.id);
    return { backfill, storeStatus: store.status };
  },
});

/**
 * Undo in the store's Backfills list: writes the backfill's deleted events back (those not stored again since).
 * It revalidates nothing: that would re-render the store page at once, and the row, whose Undo button holds the
 * dialog with the outcome, would lose it; the dialog refreshes the page when it closes (console pages are dynamic).
 */
export const undoBackfillAction = defineAction({
  name: 'backfill.undo',
  input: backfillIdInput,
  authorize: requirePermission('events.delete'),
  run: ({ backfillId }, context) => undoBackfill(context, backfillId),
});
