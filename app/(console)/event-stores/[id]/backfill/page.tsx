import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { BackfillWizard } from '@/components/backfills/backfill-wizard';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { PageSkeleton } from '@/components/ui/skeleton';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getBackfillPreview } from '@/lib/backfills/read-backfills';
import type { BackfillPreview } from '@/lib/backfills/types';
import { isAppError } from '@/lib/errors';
import { findStore, type StoreWithDefinition } from '@/lib/event-store/get-store';
import { runModesOfStoreWriters } from '@/lib/meters/repository';
import type { UserWorkspaceContext } from '@/lib/workspaces/workspace-context';

export const metadata: Metadata = { title: 'Backfill' };

type Search = Record<string, string | string[] | undefined>;

export default async function BackfillPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const [{ id }, search, context] = await Promise.all([params, searchParams, requirePageContext()]);
  const store = await findStore(context.workspaceId, id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const backfillId = typeof search.b === 'string' ? search.b : null;
  return (
    <>
      <p className="small">
        <Link href={`/event-stores/${store.id}`}>← {store.name}</Link>
      </p>
      <PageHeader title={`Backfill ${store.name}`} description="Delete events from this store by a CSV of their ids and event times: checked, previewed, confirmed, kept for undo." />
      <Suspense fallback={<PageSkeleton label="backfill" rows={4} />}>
        <Backfill store={store} backfillId={backfillId} context={context} />
      </Suspense>
    </>
  );
}

async function Backfill({ store, backfillId, context }: { store: StoreWithDefinition; backfillId: string | null; context: UserWorkspaceContext }) {
  const refusal = refusalMessage(context.role, context.workspaceName, 'events.delete');
  if (refusal) return <RefusalNote message={refusal} />;
  const [opened, meterModes] = await Promise.all([backfillId ? openBackfill(context, store.id, backfillId) : Promise.resolve(null), runModesOfStoreWriters(context.workspaceId, store.id)]);
  return (
    <>
      {opened === 'missing' ? <RefusalNote message="That backfill was not found in this store; start a new one below." /> : null}
      <BackfillWizard
        store={{ id: store.id, name: store.name, eventIdField: store.definition.eventIdField, eventTimeField: store.definition.eventTimeField }}
        initial={opened === 'missing' ? null : opened}
        replay={{ meterModes, runRefusal: refusalMessage(context.role, context.workspaceName, 'meter.run') }}
      />
    </>
  );
}

/** The backfill a link names (`?b=`), when it is one of this store's. */
async function openBackfill(context: UserWorkspaceContext, storeId: string, backfillId: string): Promise<BackfillPreview | 'missing'> {
  try {
    const backfill = await getBackfillPreview(context, backfillId);
    return backfill.store.id === storeId ? backfill : 'missing';
  } catch (error) {
    if (isAppError(error) && error.status === 404) return 'missing';
    throw error;
  }
}
