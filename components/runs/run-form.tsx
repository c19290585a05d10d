'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { startRunAction } from '@/app/(console)/runs/actions';
import { useWorkspaceCall } from '@/components/meters/canvas/use-workspace-call';
import type { DateTimeRange } from '@/components/ui/date-time-range-picker';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import { FileDropZone } from '@/components/ui/file-drop-zone';
import type { RunMode } from '@/lib/meters/run-mode';
import type { RecordErrorPolicy, RunScope } from '@/lib/runs/types';
import { UTC } from '@/lib/time/date-time-range';
import { DryRunPanel } from './dry-run-panel';
import { newIdempotencyKey } from './idempotency-key';
import { RunEstimateLine } from './run-estimate-line';
import { RunRefusal, type Refusal } from './run-refusal';
import { RunScopeFields, type ScopeChoice } from './run-scope-fields';
import { startFileRun } from './start-file-run';
import { useRunEstimate } from './use-run-estimate';

/** Where the form starts: a time frame already chosen (the replay offer after a backfill). */
export interface RunPrefill {
  frame: { from: string; to: string };
}

const FRAME_INCOMPLETE = 'Choose a start and an end for the time frame, the start before the end.';

/** The scope the form describes, or why it cannot be sent yet (checked again by the server). */
function scopeOf(mode: 'eventStore' | 'file', choice: ScopeChoice, range: DateTimeRange, file: File | null): RunScope | string {
  if (mode === 'file') return file ? { kind: 'file', fileName: file.name } : 'Choose the file to run the meter on.';
  if (choice === 'all') return { kind: 'all' };
  if (!range.start || !range.end || range.start >= range.end) return FRAME_INCOMPLETE;
  return { kind: 'frame', from: range.start.toISOString(), to: range.end.toISOString(), timeZone: range.zone };
}

/**
 * The Run dialog's form for an Event Store source (data scope) or a File source (the file): the estimate,
 * the record-error policy, Dry run and Run. Each kind of start has its idempotency key, made when the dialog
 * opens and renewed when what is asked changes, so a double-click or a retried request starts one run, while
 * a second dry run after changing the scope is a new one. Run goes to the run's page; every refusal stays here.
 */
export function RunForm({ meterId, mode, prefill }: { meterId: string; mode: Extract<RunMode, 'eventStore' | 'file'>; prefill?: RunPrefill }) {
  const router = useRouter();
  const start = useWorkspaceCall(startRunAction);
  const workspaceId = useRenderedWorkspace();
  const [choice, setChoice] = useState<ScopeChoice>(prefill ? 'frame' : 'all');
  const [range, setRange] = useState<DateTimeRange>(() =>
    prefill ? { start: new Date(prefill.frame.from), end: new Date(prefill.frame.to), zone: UTC } : { start: null, end: null, zone: UTC },
  );
  const [file, setFile] = useState<File | null>(null);
  const [errorPolicy, setErrorPolicy] = useState<RecordErrorPolicy>('skip');
  const [pending, setPending] = useState<'dry' | 'run' | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const keys = useRef({ dry: newIdempotencyKey(), run: newIdempotencyKey() });

  const scope = useMemo(() => scopeOf(mode, choice, range, file), [mode, choice, range, file]);
  // An incomplete frame is estimated as all time meanwhile: the picker's hint needs the source's first and last events.
  const frameIncomplete = mode === 'eventStore' && typeof scope === 'string';
  const estimate = useRunEstimate(meterId, mode !== 'eventStore' ? null : typeof scope === 'string' ? { kind: 'all' } : scope);
  const lastEstimate = estimate.status === 'ready' ? estimate.estimate : estimate.status === 'loading' ? estimate.last : null;

  /** A changed question is a new request: new keys, and the refusal and report of the old one go. */
  const changed = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    keys.current = { dry: newIdempotencyKey(), run: newIdempotencyKey() };
    setRefusal(null);
    setDryRunId(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const dryRun = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'dry';
    if (pending) return;
    if (typeof scope === 'string') return setRefusal({ message: scope });
    setRefusal(null);
    setPending(dryRun ? 'dry' : 'run');
    const idempotencyKey = dryRun ? keys.current.dry : keys.current.run;
    try {
      // A file goes to the REST route, which takes up to 50 MB (server actions keep the 1 MB body limit).
      const result = file && mode === 'file' ? await startFileRun(fileForm(meterId, scope, dryRun, errorPolicy, idempotencyKey, file), workspaceId) : await start({ meterId, scope, dryRun, errorPolicy, idempotencyKey });
      if (!result.ok) {
        const fields = Object.values(result.fieldErrors).flat().filter((text) => text !== result.message);
        return setRefusal({ message: [result.message, ...new Set(fields)].filter(Boolean).join(' '), problems: result.problems });
      }
      if (!dryRun) return router.push(`/runs/${result.data.runId}`);
      setDryRunId(result.data.runId);
      // The next dry run (after this one's report) is a new run, not this one again.
      keys.current = { ...keys.current, dry: newIdempotencyKey() };
    } catch {
      setRefusal({ message: 'The server could not be reached; nothing was started. Try again.' });
    } finally {
      setPending(null);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="run-form" aria-label="Run settings">
      {mode === 'eventStore' ? (
        <RunScopeFields choice={choice} onChoice={changed(setChoice)} range={range} onRange={changed(setRange)} estimate={lastEstimate} disabled={pending !== null} />
      ) : (
        <FileDropZone id={`run-file-${meterId}`} label="File" accept=".csv,.json,.ndjson,.jsonl,text/csv,application/json" file={file} onFile={changed(setFile)} disabled={pending !== null} />
      )}
      {mode === 'eventStore' ? <RunEstimateLine state={estimate} frameIncomplete={frameIncomplete} /> : null}
      <fieldset className="field" disabled={pending !== null}>
        <legend>When a record fails</legend>
        <label className="icon-text">
          <input type="radio" name="errorPolicy" value="skip" checked={errorPolicy === 'skip'} onChange={() => changed(setErrorPolicy)('skip')} /> Skip it and count it
        </label>
        <label className="icon-text">
          <input type="radio" name="errorPolicy" value="stop" checked={errorPolicy === 'stop'} onChange={() => changed(setErrorPolicy)('stop')} /> Stop the run
        </label>
      </fieldset>
      {dryRunId ? <DryRunPanel runId={dryRunId} /> : null}
      <RunRefusal refusal={refusal} />
      <div className="run-form-buttons">
        <button type="submit" value="dry" className="button secondary" disabled={pending !== null}>
          {pending === 'dry' ? 'Starting dry run…' : 'Dry run'}
        </button>
        <button type="submit" value="run" className="button" disabled={pending !== null}>
          {pending === 'run' ? 'Starting…' : 'Run'}
        </button>
      </div>
    </form>
  );
}

function fileForm(meterId: string, scope: RunScope, dryRun: boolean, errorPolicy: RecordErrorPolicy, idempotencyKey: string, file: File): FormData {
  const form = new FormData();
  form.set('meterId', meterId);
  form.set('scope', JSON.stringify(scope));
  form.set('dryRun', String(dryRun));
  form.set('errorPolicy', errorPolicy);
  form.set('idempotencyKey', idempotencyKey);
  form.set('file', file);
  return form;
}
