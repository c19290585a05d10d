import type { ActionResult } from '@/lib/actions/action-result';

/** The result of a form's action, announced to screen readers (role=status / role=alert). */
export function FormStatus({ state, success }: { state: ActionResult<unknown> | null; success?: string }) {
  // No result yet, or a refusal whose every error the user has since fixed (withoutFieldErrors).
  if (!state || (!state.ok && !state.message)) return <div role="status" aria-live="polite" className="form-status" />;
  if (state.ok) {
    return (
      <div role="status" aria-live="polite" className="form-status ok">
        {state.message ?? success}
      </div>
    );
  }
  return (
    <div role="alert" className="form-status error">
      {state.message}
    </div>
  );
}

/** The errors of one field, linked to its input by id (aria-describedby). */
export function FieldError({ id, state, field }: { id: string; state: ActionResult<unknown> | null; field: string }) {
  const messages = state && !state.ok ? state.fieldErrors[field] : undefined;
  if (!messages?.length) return null;
  return (
    <p id={id} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

export function fieldInvalid(state: ActionResult<unknown> | null, field: string): boolean {
  return Boolean(state && !state.ok && state.fieldErrors[field]?.length);
}
