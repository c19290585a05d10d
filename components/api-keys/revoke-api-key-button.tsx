'use client';

import { revokeApiKeyAction } from '@/app/(console)/settings/api-keys/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';

/** Two steps, so a stray click cannot cut off a live integration. */
export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmActionButton
      action={revokeApiKeyAction}
      id={id}
      start={{ text: 'Revoke', label: `Revoke ${name}` }}
      question={`Stop “${name}” working now?`}
      success={`API key “${name}” revoked.`}
      confirm={{ text: 'Yes, revoke', pending: 'Revoking…', label: `Confirm revoking ${name}` }}
    />
  );
}
