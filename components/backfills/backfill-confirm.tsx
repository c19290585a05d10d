'use client';

import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { confirmBackfillAction } from '@/app/(console)/event-stores/[id]/backfill/actions';
import { useWorkspaceCall } from '@/components/meters/canvas/use-workspace-call';
import { Dialog } from '@/components/ui/dialog';
import { formatCount } from '@/components/ui/format';
import type { BackfillPreview, BackfillView } from '@/lib/backfills/types';
import type { StoreStatusLabel } from '@/lib/event-store/store-status';

export interface ConfirmedBackfill {
  backfill: BackfillView;
  storeStatus: StoreStatusLabel;
}

const events = (n: number) => `${formatCount(n)} ${n === 1 ? 'event' : 'events'}`;

/**
 * Confirm: a dialog that states the count and the store. While the server deletes (the store shows
 * Deleting), the dialog says so and cannot be dismissed; a refusal (the store is busy, the backfill was
 * confirmed elsewhere) is shown in the dialog, where it was asked.
 */
export function BackfillConfirm({ preview, onConfirmed }: { preview: BackfillPreview; onConfirmed: (result: ConfirmedBackfill) => void }) {
  const confirm = useWorkspaceCall(confirmBackfillAction);
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const count = events(preview.matched);

  const run = async () => {
    if (pending) return;
    setPending(true);
    setRefusal(null);
    try {
      const result = await confirm({ backfillId: preview.id });
      if (!result.ok) return setRefusal(result.message);
      setOpen(false);
      onConfirmed(result.data);
    } catch {
      setRefusal('The server could not be reached. Nothing was deleted unless the backfill shows as completed on the store page; check there before trying again.');
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <p>
        Deleting takes the store for a moment (its status shows <strong>Deleting</strong>): uploads and runs into it wait or are refused meanwhile. The deleted events are kept
        with the backfill, so Undo on the store page can write them back.
      </p>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          if (pending) return;
          setOpen(next);
          setRefusal(null);
        }}
        title={`Delete ${count} from ${preview.store.name}?`}
        description={`${formatCount(preview.requested)} rows in “${preview.fileName}”; ${formatCount(preview.notFound)} match nothing and are left out.`}
        trigger={
          <button type="button" className="button danger" disabled={preview.matched === 0}>
            <Trash2 size={16} aria-hidden="true" /> Delete {count}…
          </button>
        }
      >
        <div className="run-form">
          {pending ? (
            <div role="status" className="run-progress">
              <label htmlFor="backfill-deleting">
                Deleting {count} from {preview.store.name}…
              </label>
              <progress id="backfill-deleting" />
            </div>
          ) : null}
          {refusal ? (
            <p role="alert" className="form-status error">
              {refusal}
            </p>
          ) : null}
          <div className="run-form-buttons">
            <button type="button" className="button secondary" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </button>
            <button type="button" className="button danger" onClick={() => void run()} disabled={pending}>
              {pending ? 'Deleting…' : `Delete ${count}`}
            </button>
          </div>
        </div>
      </Dialog>
      {preview.matched === 0 ? <p className="hint">No row of this file matches a stored event, so there is nothing to delete. Upload another file.</p> : null}
    </>
  );
}
