'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { deleteConnectorAction, generateActivityAction, setConnectorStateAction } from '@/app/(console)/custom-events/connectors/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { toast } from '@/components/ui/toaster';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import type { ActionResult } from '@/lib/actions/action-result';

/** A refused one-button action's message, announced beside its button. */
function Refusal({ state }: { state: ActionResult<unknown> | null }) {
  return state && !state.ok ? (
    <span role="alert" className="field-error">
      {state.message}
    </span>
  ) : null;
}

/** Start or Stop: the runner follows the desired state within seconds; the page refreshes to show it. */
export function StartStopButton({ id, name, desiredState }: { id: string; name: string; desiredState: 'running' | 'stopped' }) {
  const next = desiredState === 'running' ? 'stopped' : 'running';
  const [state, dispatch, pending] = useWorkspaceActionState(setConnectorStateAction, null, {
    success: next === 'running' ? `Starting “${name}”.` : `Stopping “${name}”.`,
  });
  return (
    <form action={dispatch} className="confirm-row">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="state" value={next} />
      <button type="submit" className={next === 'running' ? 'button' : 'button secondary'} disabled={pending}>
        {next === 'running' ? 'Start' : 'Stop'}
      </button>
      <Refusal state={state} />
    </form>
  );
}

/** Realistic changes in the demo billing database (invoices drafted, posted and paid; a subscription cancelled). */
export function GenerateActivityButton({ id }: { id: string }) {
  const [state, dispatch, pending] = useWorkspaceActionState(generateActivityAction, null, {
    success: (result) =>
      result
        ? `Made ${result.data.invoicesCreated} invoices, posted ${result.data.invoicesPosted}, paid ${result.data.invoicesPaid}, cancelled ${result.data.subscriptionsCancelled} subscription(s).`
        : 'Activity generated.',
  });
  return (
    <form action={dispatch} className="confirm-row">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="button secondary" disabled={pending}>
        {pending ? 'Generating…' : 'Generate activity'}
      </button>
      <Refusal state={state} />
    </form>
  );
}

export function DeleteConnectorButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      action={async (previous, form) => {
        const result = await deleteConnectorAction(previous, form);
        if (result.ok) {
          if (result.data.warning) toast.warning(result.data.warning, { duration: 20_000 });
          router.push('/custom-events/connectors');
        }
        return result;
      }}
      id={id}
      start={{ text: 'Delete connector' }}
      question={`Delete “${name}”? Its replication slot is dropped on the source; the changes captured so far stay.`}
      success={`Connector “${name}” deleted.`}
      confirm={{ text: 'Yes, delete', pending: 'Deleting…', label: `Confirm deleting ${name}` }}
    />
  );
}

/** Re-reads the page every few seconds, so status, lag and errors stay current while it is open. */
export function AutoRefresh({ everyMs = 2_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
