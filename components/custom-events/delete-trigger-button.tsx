'use client';

import { deleteTriggerAction } from '@/app/(console)/custom-events/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';

/** Two steps, so a stray click cannot stop business events that notifications rely on. */
export function DeleteTriggerButton({ id, eventType }: { id: string; eventType: string }) {
  return (
    <ConfirmActionButton
      action={deleteTriggerAction}
      id={id}
      start={{ text: 'Delete trigger' }}
      question={`Delete “${eventType}”? Changes stop becoming ${eventType} events.`}
      success={`Trigger “${eventType}” deleted.`}
      confirm={{ text: 'Yes, delete', pending: 'Deleting…', label: `Confirm deleting ${eventType}` }}
    />
  );
}
