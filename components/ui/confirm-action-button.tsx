'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import type { ActionResult } from '@/lib/actions/action-result';

interface ConfirmActionButtonProps<T> {
  /** A server action taking the record's `id` (defineAction's shape). */
  action: (state: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;
  id: string;
  /** The form field the id travels in, when the action names it otherwise (`runId`). */
  field?: string;
  /** The first button: its text and its accessible name ("Revoke" / "Revoke Gateway"). */
  start: { text: string; label?: string };
  /** What confirming does, in words, next to the confirm button. */
  question: React.ReactNode;
  /** The confirm button: its text, its text while running, and its accessible name. */
  confirm: { text: string; pending: string; label: string };
  /** The toast once it is done ("API key revoked"). */
  success?: string;
}

/**
 * A destructive action in two steps, so a stray click cannot do it; a refusal is announced in place.
 * Focus follows the steps: to the confirm button (which is described by the question, so a screen reader
 * reads what will happen), and back to the first button on Cancel or Escape.
 */
export function ConfirmActionButton<T>({ action, id, field = 'id', start, question, confirm, success }: ConfirmActionButtonProps<T>) {
  const [confirming, setConfirming] = useState(false);
  const [state, dispatch, pending] = useWorkspaceActionState(action, null, { success });
  const startRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const moved = useRef(false);
  const questionId = useId();
  useEffect(() => {
    if (!moved.current) return;
    (confirming ? confirmRef : startRef).current?.focus();
  }, [confirming]);
  const step = (next: boolean) => {
    moved.current = true;
    setConfirming(next);
  };
  if (!confirming) {
    return (
      <button ref={startRef} type="button" className="button danger-outline" onClick={() => step(true)} aria-label={start.label}>
        {start.text}
      </button>
    );
  }
  return (
    <form
      action={dispatch}
      className="confirm-row"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !pending) step(false);
      }}
    >
      <input type="hidden" name={field} value={id} />
      <span id={questionId}>{question}</span>
      <button ref={confirmRef} type="submit" className="button danger" disabled={pending} aria-label={confirm.label} aria-describedby={questionId}>
        {pending ? confirm.pending : confirm.text}
      </button>
      <button type="button" className="button secondary" onClick={() => step(false)}>
        Cancel
      </button>
      {state && !state.ok ? (
        <span role="alert" className="field-error">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
