'use client';

import { useRef } from 'react';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { useFocusFirstInvalid } from '@/components/ui/use-focus-first-invalid';
import { createStoreAction } from '@/app/(console)/event-stores/actions';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
import { RefusalNote } from '@/components/ui/refusal-note';
import { TextField } from '@/components/ui/text-field';
import { submittedValue } from '@/lib/actions/action-result';

export function CreateStoreForm({ definitions, refusal }: { definitions: { id: string; name: string }[]; refusal: string | null }) {
  const [state, action, pending] = useWorkspaceActionState(createStoreAction, null, {
    success: (result) => (result ? `Event store “${result.data.name}” created.` : 'Event store created.'),
  });
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  if (refusal) {
    return <RefusalNote message={refusal} />;
  }
  return (
    <form ref={formRef} action={action} className="form inline-form" aria-labelledby="create-store-title">
      <h2 id="create-store-title">New event store</h2>
      <FormStatus state={state} success={state?.ok ? `Created the event store “${state.data.name}”.` : undefined} />
      <TextField id="store-name" name="name" label="Name" required maxLength={64} placeholder="api-calls-eu" hint="Lowercase letters, digits, “.”, “_” and “-”." state={state} />
      <div className="field">
        <label htmlFor="store-definition">Event definition</label>
        <select id="store-definition" name="definitionId" required aria-invalid={fieldInvalid(state, 'definitionId')} aria-describedby="store-definition-error" defaultValue={submittedValue(state, 'definitionId') ?? ''}>
          <option value="" disabled>
            Choose a definition…
          </option>
          {definitions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <FieldError id="store-definition-error" state={state} field="definitionId" />
      </div>
      <TextField id="store-description" name="description" label="Description (optional)" maxLength={500} state={state} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Creating…' : 'Create store'}
      </button>
    </form>
  );
}
