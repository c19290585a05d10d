'use client';

import { useState } from 'react';
import { useActionForm } from '@/components/ui/use-action-form';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { createApiKeyAction } from '@/app/(console)/settings/api-keys/actions';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
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
        <NewKey key={state.data.key} name={state.data.name} secret={state.data.key} />
      ) : null}
    </>
  );
}

/**
 * The new key, shown once, with a Copy button that says "Copied" only when the browser really put it on the
 * clipboard (it refuses on plain http, or when permission is denied).
 */
function NewKey({ name, secret }: { name: string; secret: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <section role="status" aria-live="polite" className="new-key" aria-labelledby="new-key-title">
      <h3 id="new-key-title">Copy the key “{name}” now</h3>
      <p>It is shown only this once; we keep only a hash of it.</p>
      <div className="copy-row">
        <label htmlFor="new-key-value" className="sr-only">
          New API key
        </label>
        <input id="new-key-value" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="button secondary"
          onClick={async () => {
            try {
              if (!navigator.clipboard) throw new Error('no clipboard');
              await navigator.clipboard.writeText(secret);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className={copied === false ? 'form-status error' : 'sr-only'} aria-live="assertive">
        {copied === null ? '' : copied ? 'The key is on the clipboard.' : 'The browser did not let us copy it: select the key and copy it yourself (Ctrl+C or ⌘C).'}
      </p>
    </section>
  );
}
