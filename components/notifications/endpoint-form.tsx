'use client';

import Link from 'next/link';
import { useState } from 'react';
import { createEndpointAction, updateEndpointAction } from '@/app/(console)/custom-events/notifications/actions';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
import { SecretShownOnce } from '@/components/ui/secret-shown-once';
import { TextField } from '@/components/ui/text-field';
import { useActionForm } from '@/components/ui/use-action-form';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';

export interface EditedEndpoint {
  id: string;
  channel: 'webhook' | 'email';
  eventType: string;
  url: string | null;
  recipients: string[];
}

/** Adds a webhook endpoint or an email subscription; a new webhook's secret is shown once, with Copy. */
export function NewEndpointForm({ eventTypes, channel: initialChannel }: { eventTypes: string[]; channel: 'webhook' | 'email' }) {
  const [state, action, pending] = useWorkspaceActionState(createEndpointAction, null, {
    success: (result) => (result?.data.secret ? 'Endpoint added. Copy its secret now: it is shown once.' : 'Email subscription added.'),
  });
  const { shown, formProps } = useActionForm(action, state);
  const [channel, setChannel] = useState(initialChannel);
  return (
    <>
      <form {...formProps} action={action} className="form" aria-labelledby="new-endpoint-title" noValidate>
        <h2 id="new-endpoint-title">{channel === 'webhook' ? 'Add a webhook endpoint' : 'Add an email subscription'}</h2>
        {shown && !shown.ok ? <FormStatus state={shown} /> : null}
        <div className="field">
          <label htmlFor="endpoint-channel">Channel</label>
          <select id="endpoint-channel" name="channel" value={channel} onChange={(e) => setChannel(e.target.value as 'webhook' | 'email')} aria-describedby="endpoint-channel-error">
            <option value="webhook">Webhook (signed HTTP POST)</option>
            <option value="email">Email</option>
          </select>
          <FieldError id="endpoint-channel-error" state={shown} field="channel" />
        </div>
        <EndpointFields eventTypes={eventTypes} channel={channel} state={shown} />
        <div className="actions-row">
          <button type="submit" className="button" disabled={pending}>
            {pending ? 'Adding…' : channel === 'webhook' ? 'Add endpoint' : 'Add subscription'}
          </button>
          <Link href="/custom-events/notifications">Cancel</Link>
        </div>
      </form>
      {state?.ok ? (
        <div className="card">
          {state.data.secret ? (
            <SecretShownOnce
              key={state.data.secret}
              title="Copy the signing secret now"
              note="Receivers verify each delivery's webhook-signature with it (Standard Webhooks). It is shown only this once; rotate it on the endpoint's page if it is lost."
              label="Signing secret"
              secret={state.data.secret}
            />
          ) : null}
          <p>
            <Link href={`/custom-events/notifications/${state.data.id}`}>Open the {state.data.channel === 'webhook' ? 'endpoint' : 'subscription'} for {state.data.eventType}</Link>
          </p>
        </div>
      ) : null}
    </>
  );
}

/** Changes an endpoint's event type and URL or recipients. */
export function EditEndpointForm({ endpoint, eventTypes }: { endpoint: EditedEndpoint; eventTypes: string[] }) {
  const [state, action, pending] = useWorkspaceActionState(updateEndpointAction, null, { success: 'Saved.' });
  const { shown, formProps } = useActionForm(action, state);
  return (
    <form {...formProps} action={action} className="form" aria-labelledby="edit-endpoint-title" noValidate>
      <h2 id="edit-endpoint-title">Settings</h2>
      {shown && !shown.ok ? <FormStatus state={shown} /> : null}
      <input type="hidden" name="id" value={endpoint.id} />
      <input type="hidden" name="channel" value={endpoint.channel} />
      <EndpointFields eventTypes={eventTypes} channel={endpoint.channel} state={shown} saved={endpoint} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}

function EndpointFields({ eventTypes, channel, state, saved }: { eventTypes: string[]; channel: 'webhook' | 'email'; state: Parameters<typeof FieldError>[0]['state']; saved?: EditedEndpoint }) {
  const options = saved && !eventTypes.includes(saved.eventType) ? [saved.eventType, ...eventTypes] : eventTypes;
  return (
    <>
      <div className="field">
        <label htmlFor="endpoint-event-type">Event type</label>
        <select id="endpoint-event-type" name="eventType" defaultValue={saved?.eventType} aria-invalid={fieldInvalid(state, 'eventType')} aria-describedby="endpoint-event-type-hint endpoint-event-type-error">
          {options.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <p id="endpoint-event-type-hint" className="hint">
          Every business event of this type (a trigger&apos;s event type) is delivered here.
        </p>
        <FieldError id="endpoint-event-type-error" state={state} field="eventType" />
      </div>
      {channel === 'webhook' ? (
        <TextField
          id="endpoint-url"
          name="url"
          label="URL"
          type="url"
          required
          maxLength={2000}
          placeholder="https://example.com/webhooks"
          initial={saved?.url ?? undefined}
          hint="http or https, without a user name or password. Each event is POSTed as JSON, signed per Standard Webhooks."
          state={state}
        />
      ) : (
        <TextField
          id="endpoint-recipients"
          name="recipients"
          label="Recipients"
          required
          placeholder="ops@example.com, billing@example.com"
          initial={saved?.recipients.join(', ')}
          hint="One or more email addresses, separated by commas (at most 20)."
          state={state}
        />
      )}
    </>
  );
}
