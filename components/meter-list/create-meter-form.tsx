'use client';

import { createMeterAction } from '@/app/(console)/meters/actions';
import { FormStatus } from '@/components/ui/form-status';
import { RefusalNote } from '@/components/ui/refusal-note';
import { TextField } from '@/components/ui/text-field';
import { useActionForm } from '@/components/ui/use-action-form';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';

/** Creates an empty meter and opens it on the canvas (the action redirects; the toast survives it). */
export function CreateMeterForm({ refusal }: { refusal: string | null }) {
  const [state, action, pending] = useWorkspaceActionState(createMeterAction, null, { success: 'Meter created. Add a source to start.' });
  const { shown, formProps } = useActionForm(action, state);
  if (refusal) return <RefusalNote message={refusal} />;
  return (
    <form {...formProps} action={action} className="form inline-form" aria-labelledby="create-meter-title">
      <h2 id="create-meter-title">New meter</h2>
      <FormStatus state={shown} />
      <TextField id="meter-name" name="name" label="Name" required maxLength={100} placeholder="API calls per day" state={shown} />
      <TextField id="meter-description" name="description" label="Description (optional)" maxLength={500} state={shown} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Creating…' : 'Create meter'}
      </button>
    </form>
  );
}
