'use client';

import { createConnectorAction } from '@/app/(console)/custom-events/connectors/actions';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { useActionForm } from '@/components/ui/use-action-form';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { submittedValue } from '@/lib/actions/action-result';

const MAPPINGS_PLACEHOLDER = 'public.invoices -> Invoice: total = Amount\npublic.accounts -> Account';

/** Creating a connector tests the source first (connection, wal_level, REPLICATION, tables and columns); its errors come back per field. */
export function ConnectorForm() {
  const [state, action, pending] = useWorkspaceActionState(createConnectorAction, null, { success: 'Connector created; it starts within seconds.' });
  const { shown, formProps } = useActionForm(action, state);
  return (
    <form {...formProps} action={action} className="form" aria-labelledby="connector-form-title">
      <h2 id="connector-form-title">Source database</h2>
      <FormStatus state={shown} />
      <TextField id="connector-name" name="name" label="Name" required maxLength={60} placeholder="billing-db" state={shown} />
      <TextField
        id="connector-source"
        name="sourceUrl"
        label="Connection string"
        required
        placeholder="postgresql://replicator@billing-db:5432/billing"
        hint="A PostgreSQL server with wal_level = logical, and a role with the REPLICATION privilege. Leave the password out and give it below: it is stored, never shown again."
        autoComplete="off"
        spellCheck={false}
        state={shown}
      />
      <TextField id="connector-password" name="password" label="Password" type="password" autoComplete="new-password" keepValue={false} state={shown} />
      <div className="field">
        <label htmlFor="connector-mappings">Table mappings</label>
        <textarea
          id="connector-mappings"
          name="mappings"
          rows={5}
          required
          spellCheck={false}
          placeholder={MAPPINGS_PLACEHOLDER}
          defaultValue={submittedValue(state, 'mappings')}
          aria-invalid={fieldInvalid(shown, 'mappings')}
          aria-describedby="connector-mappings-hint connector-mappings-error"
        />
        <p id="connector-mappings-hint" className="hint">
          One table per line: <code>table -&gt; Object</code>, then optionally <code>: column = Field, …</code>. Other columns map to the field of the same
          name, ignoring case and underscores (<code>invoice_number</code> → InvoiceNumber). One column must map to <code>Id</code>, the record id.
        </p>
        <FieldError id="connector-mappings-error" state={shown} field="mappings" />
      </div>
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Testing the source…' : 'Test and create connector'}
      </button>
    </form>
  );
}
