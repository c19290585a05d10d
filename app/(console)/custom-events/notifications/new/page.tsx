import type { Metadata } from 'next';
import Link from 'next/link';
import { NewEndpointForm } from '@/components/notifications/endpoint-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { listTriggers } from '@/lib/custom-events/triggers/list-triggers';

export const metadata: Metadata = { title: 'Add notification endpoint' };

export default async function NewEndpointPage({ searchParams }: { searchParams: Promise<{ channel?: string }> }) {
  const [context, { channel }] = await Promise.all([requirePageContext(), searchParams]);
  const refusal = refusalMessage(context.role, context.workspaceName, 'notification.write');
  const eventTypes = refusal ? [] : (await listTriggers(context.workspaceId)).map((t) => t.eventType).sort();
  return (
    <>
      <Link href="/custom-events/notifications">← Notifications</Link>
      <PageHeader title="Add notification endpoint" description="Business events of the chosen type are delivered to it from now on." />
      <section className="card">
        {refusal ? (
          <RefusalNote message={refusal} />
        ) : eventTypes.length === 0 ? (
          <EmptyState title="No event types yet">
            <p>
              Notifications deliver the business events that triggers make. <Link href="/custom-events/triggers/new">Create a trigger</Link> first.
            </p>
          </EmptyState>
        ) : (
          <NewEndpointForm eventTypes={eventTypes} channel={channel === 'email' ? 'email' : 'webhook'} />
        )}
      </section>
    </>
  );
}
