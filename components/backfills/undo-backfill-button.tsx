'use client';

import { Undo2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { undoBackfillAction } from '@/app/(console)/event-stores/[id]/backfill/actions';
import { useWorkspaceCall } from '@/components/meters/canvas/use-workspace-call';
import { Dialog } from '@/components/ui/dialog';
import { formatCount } from '@/components/ui/format';
import { toast } from '@/components/ui/toaster';
import type { BackfillView } from '@/lib/backfills/types';
import { undoOutcome } from './undo-outcome';

/**
 * Undo in the store's Backfills list: a dialog asks first; the store is taken for writing while the deleted
 * events go back. The outcome (restored, skipped) or the refusal is said in the dialog; the list refreshes when
 * it closes.
 */
export function UndoBackfillButton({ backfill }: { backfill: BackfillView }) {
  const undo = useWorkspaceCall(undoBackfillAction);
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const deleted = formatCount(backfill.deleted ?? 0);

  const run = async () => {
    if (pending) return;
    setPending(true);
    setOutcome(null);
    try {
      const result = await undo({ backfillId: backfill.id });
      if (!result.ok) return setOutcome({ ok: false, text: result.message });
      const text = undoOutcome(result.data.undo ?? { restored: 0, skipped: 0, skippedIds: [] });
      setOutcome({ ok: true, text });
      toast.success(`Backfill of “${backfill.fileName}” undone. ${text}`);
    } catch {
      setOutcome({ ok: false, text: 'The server could not be reached. Reload the page to see whether the undo happened before trying again.' });
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (next) setOutcome(null);
        // The list refreshes once the outcome was read: the row then loses this button, and the dialog with it.
        else if (outcome?.ok) router.refresh();
      }}
      title={`Undo the backfill of ${backfill.fileName}?`}
      description={`Writes its ${deleted} deleted events back into ${backfill.store.name}, except those whose id is stored again since (newer events are left alone).`}
      trigger={
        <button type="button" className="button danger-outline" aria-label={`Undo backfill ${backfill.fileName}`}>
          <Undo2 size={14} aria-hidden="true" /> Undo
        </button>
      }
    >
      <div className="run-form">
        {outcome ? (
          <p role={outcome.ok ? 'status' : 'alert'} className={`form-status ${outcome.ok ? 'ok' : 'error'}`}>
            {outcome.text}
          </p>
        ) : null}
        <div className="run-form-buttons">
          {outcome?.ok ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                setOpen(false);
                router.refresh();
              }}
            >
              Done
            </button>
          ) : (
            <>
              <button type="button" className="button secondary" onClick={() => setOpen(false)} disabled={pending}>
                Cancel
              </button>
              <button type="button" className="button danger" onClick={() => void run()} disabled={pending}>
                {pending ? 'Restoring…' : `Restore ${deleted} events`}
              </button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
