/** The one shape every server action returns; forms render it with useActionState and aria-live. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      message: string;
      fieldErrors: Record<string, string[]>;
      /** What was submitted (never passwords), so the form can show it again after React resets it. */
      values?: Record<string, string | string[]>;
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

export const initialActionState: ActionResult<never> | null = null;
