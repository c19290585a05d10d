'use client';

import { startTransition, useEffect, useRef, useState } from 'react';
import { useFocusFirstInvalid } from '@/components/ui/use-focus-first-invalid';
import { withoutFieldErrors, type ActionResult } from '@/lib/actions/action-result';

/**
 * Submits a form to its action without React's reset, and clears errors that no longer apply.
 *
 * React resets a form after its action runs: uncontrolled selects and checkboxes go back to their first or
 * default option, so after a refused submit the user had to choose again (and a required select then failed
 * in the browser). Here a hydrated form dispatches its FormData from onSubmit instead, so nothing is reset
 * and every value stays as the user left it; the form is reset only after a success. (The form's `action`
 * still works before hydration, where the submitted values come back through the result's `values`.)
 *
 * Editing a field hides that field's error (`shown`), and the refusal's message once all are edited. A
 * control reports its error key by `data-field`, else its `name` (`scopes[]` → `scopes`).
 */
export function useActionForm<S extends ActionResult<unknown>>(dispatch: (payload: FormData) => void, state: S | null) {
  const formRef = useRef<HTMLFormElement>(null);
  const { shown, onChange } = useClearedOnEdit(state);
  useFocusFirstInvalid(formRef, state);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(data));
  };
  return { formRef, shown, formProps: { ref: formRef, onSubmit, onChange } };
}

/**
 * `result` without the errors of the fields edited since it arrived: put `onChange` on the form (change
 * events bubble to it). For forms that submit their own way (controlled editors).
 */
export function useClearedOnEdit<S extends ActionResult<unknown>>(result: S | null) {
  const [edited, setEdited] = useState<{ of: S | null; fields: string[] }>({ of: result, fields: [] });
  const editedFields = edited.of === result ? edited.fields : [];
  const onChange = (event: React.FormEvent<HTMLFormElement>) => {
    const field = fieldOf(event.target);
    if (field && !editedFields.includes(field)) setEdited({ of: result, fields: [...editedFields, field] });
  };
  return { shown: withoutFieldErrors(result, editedFields), onChange };
}

function fieldOf(target: EventTarget): string | null {
  if (!(target instanceof HTMLElement)) return null;
  const name = target.dataset.field ?? target.getAttribute('name');
  return name ? name.replace(/\[\]$/, '') : null;
}
