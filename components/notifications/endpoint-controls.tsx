'use client';

import { deleteEndpointAction, resendDeliveryAction, rotateSecretAction, setEndpointActiveAction } from '@/app/(console)/custom-events/notifications/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { SecretShownOnce } from '@/components/ui/secret-shown-once';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import type { ActionResult } from '@/lib/actions/action-result';

/** Enable or disable: one button that says which it does. */
export function EndpointActiveToggle({ id, active, label }: { id: string; active: boolean; label: string }) {
  const [state, action, pending] = useWorkspaceActionState(setEndpointActiveAction, null, { success: active ? 'Disabled: no new deliveries go to it.' : 'Enabled: deliveries go to it again.' });
  return (
    <InlineForm action={action} state={state} fields={{ id, active: active ? 'false' : 'true' }}>
      <button type="submit" className="button secondary" disabled={pending} aria-label={`${active ? 'Disable' : 'Enable'} ${label}`}>
        {active ? 'Disable' : 'Enable'}
      </button>
    </InlineForm>
  );
}

/** A new signing secret (the old one stops working at once), shown once. Two steps. */
export function RotateSecretButton({ id }: { id: string }) {
  const [state, action, pending] = useWorkspaceActionState(rotateSecretAction, null, { success: 'Secret rotated. Copy the new one now: it is shown once.' });
  return (
    <>
      <InlineForm action={action} state={state} fields={{ id }}>
        <button type="submit" className="button secondary" disabled={pending} aria-describedby="rotate-hint">
          {pending ? 'Rotating…' : 'Rotate secret'}
        </button>
        <span id="rotate-hint" className="hint">
          The current secret stops working at once; give receivers the new one.
        </span>
      </InlineForm>
      {state?.ok ? <SecretShownOnce key={state.data.secret} title="Copy the new signing secret now" note="It is shown only this once." label="New signing secret" secret={state.data.secret} /> : null}
    </>
  );
}

export function DeleteEndpointButton({ id, label }: { id: string; label: string }) {
  return (
    <ConfirmActionButton
      action={deleteEndpointAction}
      id={id}
      start={{ text: 'Delete', label: `Delete ${label}` }}
      question={`Delete ${label}? Its deliveries and their log go with it.`}
      success="Deleted."
      confirm={{ text: 'Yes, delete', pending: 'Deleting…', label: `Confirm deleting ${label}` }}
    />
  );
}

/** One more attempt of a delivery, now (audited). */
export function ResendButton({ id, label }: { id: string; label: string }) {
  const [state, action, pending] = useWorkspaceActionState(resendDeliveryAction, null, { success: 'Resend queued: the attempt shows in the log in a moment.' });
  return (
    <InlineForm action={action} state={state} fields={{ id }}>
      <button type="submit" className="button secondary small" disabled={pending} aria-label={`Resend ${label}`}>
        {pending ? 'Queuing…' : 'Resend'}
      </button>
    </InlineForm>
  );
}

/** A one-button form: its hidden fields, the button (children), and a refusal announced beside it. */
function InlineForm({ action, state, fields, children }: { action: (form: FormData) => void; state: ActionResult<unknown> | null; fields: Record<string, string>; children: React.ReactNode }) {
  return (
    <form action={action} className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      {state && !state.ok ? (
        <span role="alert" className="field-error">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
