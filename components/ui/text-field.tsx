import type { ActionResult } from '@/lib/actions/action-result';
import { submittedValue } from '@/lib/actions/action-result';
import { FieldError, fieldInvalid } from '@/components/ui/form-status';

type InputProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'defaultValue'>;

/**
 * A labelled input bound to a form action's state: its error is announced and linked (aria-describedby),
 * and a failed submission's value comes back (React resets forms after an action); else `initial` (a saved value).
 */
export function TextField({
  id,
  name,
  label,
  hint,
  state,
  keepValue = true,
  initial,
  ...input
}: InputProps & { id: string; name: string; label: string; hint?: string; state: ActionResult<unknown> | null; keepValue?: boolean; initial?: string }) {
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        defaultValue={(keepValue ? submittedValue(state, name) : undefined) ?? initial}
        aria-invalid={fieldInvalid(state, name)}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} state={state} field={name} />
    </div>
  );
}
