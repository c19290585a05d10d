'use client';

import { useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/actions/action-result';

interface ConfirmActionButtonProps<T> {
  /** A server action taking the record's `id` (defineAction's shape). */
  action: (state: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;
  id: string;
  /** The first button: its text and its accessible name ("Revoke" / "Revoke Gateway"). */
  start: { text: string; label?: string };
  /** What confirming does, in words, next to the confirm button. */
  question: React.ReactNode;
  /** The confirm button: its text, its text while running, and its accessible name. */
  confirm: { text: string; pending: string; label: string };
}

/** A destructive action in two steps, so a stray click cannot do it; a refusal is announced in place. */
export function ConfirmActionButton<T>({ action, id, start, question, confirm }: ConfirmActionButtonProps<T>) {
  const [confirming, setConfirming] = useState(false);
  const [state, dispatch, pending] = useActionState(action, null);
  if (!confirming) {
    return (
      <button type="button" className="button danger-outline" onClick={() => setConfirming(true)} aria-label={start.label}>
        {start.text}
      </button>
    );
  }
  return (
    <form action={dispatch} className="confirm-row">
      <input type="hidden" name="id" value={id} />
      <span>{question}</span>
      <button type="submit" className="button danger" disabled={pending} aria-label={confirm.label}>
        {pending ? confirm.pending : confirm.text}
      </button>
      <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
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
