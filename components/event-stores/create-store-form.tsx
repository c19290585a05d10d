'use client';

import { useActionForm } from '@/components/ui/use-action-form';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { createStoreAction } from '@/app/(console)/event-stores/actions';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
import { RefusalNote } from '@/components/ui/refusal-note';
import { TextField } from '@/components/ui/text-field';
import { submittedValue } from '@/lib/actions/action-result';

export function CreateStoreForm({ definitions, refusal }: { definitions: { id: string; name: string }[]; refusal: string | null }) {
  const [state, action, pending] = useWorkspaceActionState(createStoreAction, null, {
    success: (result) => (result ? `Event store “${result.data.name}” created.` : 'Event store created.'),
  });
  const { shown, formProps } = useActionForm(action, state);
  if (refusal) {
    return <RefusalNote message={refusal} />;
  }
  return (
    <form {...formProps} action={action} className="form inline-form" aria-labelledby="create-store-title">
      <h2 id="create-store-title">New event store</h2>
      <FormStatus state={shown} success={state?.ok ? `Created the event store “${state.data.name}”.` : undefined} />
      <TextField id="store-name" name="name" label="Name" required maxLength={64} placeholder="api-calls-eu" hint="Lowercase letters, digits, “.”, “_” and “-”." state={shown} />
      <div className="field">
        <label htmlFor="store-definition">Event definition</label>
        <select id="store-definition" name="definitionId" required aria-invalid={fieldInvalid(shown, 'definitionId')} aria-describedby="store-definition-error" defaultValue={submittedValue(state, 'definitionId') ?? ''}>
          {/* Not disabled: a form reset (after a success) then comes back to it rather than to the first definition. */}
          <option value="">
            Choose a definition…
          </option>
          {definitions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <FieldError id="store-definition-error" state={shown} field="definitionId" />
      </div>
      <TextField id="store-description" name="description" label="Description (optional)" maxLength={500} state={shown} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Creating…' : 'Create store'}
      </button>
    </form>
  );
}
