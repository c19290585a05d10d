'use client';

import { Download } from 'lucide-react';
import { useState } from 'react';
import { formatCount } from '@/components/ui/format';
import { BACKFILL_MAX_ROWS, type BackfillPreview, type BackfillView } from '@/lib/backfills/types';
import type { StoreStatusLabel } from '@/lib/event-store/store-status';
import { BackfillConfirm } from './backfill-confirm';
import { BackfillPreviewStep } from './backfill-preview-step';
import { BackfillResult, type ReplayContext } from './backfill-result';
import { BACKFILL_STEPS, BackfillStepper, StepPanel, type BackfillStep } from './backfill-stepper';
import { BackfillUpload } from './backfill-upload';

type State =
  | { step: 'Download template' }
  | { step: 'Upload' }
  | { step: 'Preview'; preview: BackfillPreview }
  | { step: 'Confirm'; preview: BackfillPreview }
  | { step: 'Done'; backfill: BackfillView; storeStatus: StoreStatusLabel | null };

/** Where a backfill opened by its link (`?b=`) resumes: its preview while pending, its result once confirmed. */
function initialState(backfill: BackfillPreview | null): State {
  if (!backfill) return { step: 'Download template' };
  if (backfill.status === 'previewed') return { step: 'Preview', preview: backfill };
  return { step: 'Done', backfill, storeStatus: null };
}

/**
 * Delete events, in five steps: download the template, upload the CSV (checked whole by the server),
 * preview the matches, confirm in a dialog, and the result with the replay offer. The URL keeps the backfill
 * (`?b=`) once there is one, so a reload or a shared link opens it where it stands.
 */
export function BackfillWizard({
  store,
  initial,
  replay,
}: {
  store: { id: string; name: string; eventIdField: string; eventTimeField: string };
  initial: BackfillPreview | null;
  replay: ReplayContext;
}) {
  const [state, setState] = useState<State>(() => initialState(initial));
  const [moved, setMoved] = useState(false);
  const go = (next: State) => {
    setMoved(true);
    setState(next);
  };
  // The History API (Next keeps its router in step): no server round trip, and the wizard keeps its state.
  const keep = (backfillId: string | null) => window.history.replaceState(null, '', backfillId ? `?b=${backfillId}` : window.location.pathname);

  const back: BackfillStep[] = state.step === 'Done' ? [] : state.step === 'Confirm' ? ['Download template', 'Upload', 'Preview'] : ['Download template', 'Upload'];
  const onStep = (step: BackfillStep) => {
    if (step === 'Preview' && 'preview' in state) return go({ step, preview: state.preview });
    if (step === 'Download template' || step === 'Upload') {
      keep(null);
      go({ step });
    }
  };
  const next = (label: string, to: () => void) => (
    <button type="button" className="button" onClick={to}>
      {label}
    </button>
  );

  return (
    <div className="backfill-wizard">
      <BackfillStepper current={state.step} back={back} onStep={onStep} />
      {state.step === 'Download template' ? (
        <StepPanel key={state.step} title={`1. ${BACKFILL_STEPS[0]}`} focus={moved}>
          <p>
            The template is a CSV with this store&apos;s columns <code>{store.eventIdField}</code> and <code>{store.eventTimeField}</code>, one example row, and the limits in a
            comment line. List the events to delete, one per row, at most {formatCount(BACKFILL_MAX_ROWS)}.
          </p>
          <p className="step-actions">
            <a className="button secondary" href={`/api/v1/event-stores/${store.id}/backfills/template`} download>
              <Download size={16} aria-hidden="true" /> Download template
            </a>
            {next('Next: upload', () => go({ step: 'Upload' }))}
          </p>
        </StepPanel>
      ) : state.step === 'Upload' ? (
        <StepPanel key={state.step} title={`2. ${BACKFILL_STEPS[1]}`} focus={moved}>
          <BackfillUpload
            storeId={store.id}
            onPreview={(preview) => {
              keep(preview.id);
              go({ step: 'Preview', preview });
            }}
          />
        </StepPanel>
      ) : state.step === 'Preview' ? (
        <StepPanel key={state.step} title={`3. ${BACKFILL_STEPS[2]}`} focus={moved}>
          <BackfillPreviewStep preview={state.preview} />
          <p className="step-actions">
            {state.preview.matched > 0 ? next('Next: confirm', () => go({ step: 'Confirm', preview: state.preview })) : null}
            <button type="button" className="button secondary" onClick={() => onStep('Upload')}>
              Upload another file
            </button>
          </p>
        </StepPanel>
      ) : state.step === 'Confirm' ? (
        <StepPanel key={state.step} title={`4. ${BACKFILL_STEPS[3]}`} focus={moved}>
          <BackfillConfirm preview={state.preview} onConfirmed={({ backfill, storeStatus }) => go({ step: 'Done', backfill, storeStatus })} />
        </StepPanel>
      ) : (
        <StepPanel key={state.step} title={`5. ${BACKFILL_STEPS[4]}`} focus={moved}>
          <BackfillResult backfill={state.backfill} storeStatus={state.storeStatus} replay={replay} />
        </StepPanel>
      )}
    </div>
  );
}
