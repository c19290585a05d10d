import type { MeterProblem } from '@/lib/meters/problems';

/** The one shape every server action returns; forms render it with useActionState and aria-live. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      message: string;
      fieldErrors: Record<string, string[]>;
      /** What was submitted (never passwords), so the form can show it again after React resets it. */
      values?: Record<string, string | string[]>;
      /**
       * Every rule problem behind a refused meter save or restore (AppError details.problems), so the
       * canvas marks the nodes and lists them exactly as its own live validation would.
       */
      problems?: MeterProblem[];
    };

/** A submitted value to put back into a field after a failed action. */
export function submittedValue(state: ActionResult<unknown> | null, field: string): string | undefined {
  const value = state && !state.ok ? state.values?.[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Whether a submitted multi-value field (checkbox group) contained `option`. */
export function submittedIncludes(state: ActionResult<unknown> | null, field: string, option: string): boolean {
  const value = state && !state.ok ? state.values?.[field] : undefined;
  return Array.isArray(value) ? value.includes(option) : value === option;
}

/**
 * The result as it still applies once the user has edited `edited` fields: their errors are gone, and a
 * refusal that was only about fields (every one of them since edited) says nothing more. A refusal not tied
 * to a field (the server was down, a conflict) stays until the next submit.
 */
export function withoutFieldErrors<S extends ActionResult<unknown> | null>(state: S, edited: readonly string[]): S {
  if (!state || state.ok || edited.length === 0) return state;
  const remaining = Object.fromEntries(Object.entries(state.fieldErrors).filter(([field]) => !edited.includes(field)));
  const hadFieldErrors = Object.keys(state.fieldErrors).length > 0;
  if (Object.keys(remaining).length === Object.keys(state.fieldErrors).length) return state;
  return { ...state, fieldErrors: remaining, message: hadFieldErrors && Object.keys(remaining).length === 0 ? '' : state.message };
}

export const initialActionState: ActionResult<never> | null = null;
