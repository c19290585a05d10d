'use client';

import { useActionForm } from '@/components/ui/use-action-form';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { createApiKeyAction } from '@/app/(console)/settings/api-keys/actions';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
import { SecretShownOnce } from '@/components/ui/secret-shown-once';
import { TextField } from '@/components/ui/text-field';
import { submittedIncludes } from '@/lib/actions/action-result';

export function CreateApiKeyForm({ scopes }: { scopes: { name: string; description: string }[] }) {
  const [state, action, pending] = useWorkspaceActionState(createApiKeyAction, null, { success: 'API key created. Copy it now: it is shown once.' });
  const { shown, formProps } = useActionForm(action, state);
  return (
    <>
      <form {...formProps} action={action} className="form" aria-labelledby="create-key-title">
        <h2 id="create-key-title">Create an API key</h2>
        {shown && !shown.ok ? <FormStatus state={shown} /> : null}
        <TextField id="key-name" name="name" label="Name" required maxLength={80} placeholder="Billing gateway" state={shown} />
        <fieldset className="field" aria-describedby="key-scopes-error" aria-invalid={fieldInvalid(shown, 'scopes')}>
          <legend>Scopes</legend>
          {scopes.map((scope) => (
            <label key={scope.name} className="checkbox">
              <input type="checkbox" name="scopes[]" value={scope.name} defaultChecked={submittedIncludes(state, 'scopes', scope.name)} /> <code>{scope.name}</code>{' '}
              <span className="muted">{scope.description}</span>
            </label>
          ))}
          <FieldError id="key-scopes-error" state={shown} field="scopes" />
        </fieldset>
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {state?.ok ? (
        // Keyed by the key: a new key starts uncopied.
        <SecretShownOnce key={state.data.key} title={`Copy the key “${state.data.name}” now`} note="It is shown only this once; we keep only a hash of it." label="New API key" secret={state.data.key} />
      ) : null}
    </>
  );
}
