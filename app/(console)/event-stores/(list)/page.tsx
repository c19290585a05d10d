import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { formatCount, formatDateTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { CreateStoreForm } from '@/components/event-stores/create-store-form';
import { StatusBadge, StatusLegend } from '@/components/event-stores/status-badge';
import { refusalMessage } from '@/lib/auth/permissions';
import { listDefinitions } from '@/lib/event-definitions/list-definitions';
import { listStores } from '@/lib/event-store/list-stores';
import { requirePageContext } from '@/lib/auth/request-context';

export const metadata: Metadata = { title: 'Event Stores' };

export default async function EventStoresPage() {
  const context = await requirePageContext();
  const [stores, definitions] = await Promise.all([listStores(context.workspaceId), listDefinitions(context.workspaceId)]);
  const refusal = refusalMessage(context.role, context.workspaceName, 'store.write');
  return (
    <>
      <PageHeader
        title="Event Stores"
        description="Durable storage of typed events. A store can be a meter's source (replay) or its target."
      />
      {stores.length === 0 ? (
        <EmptyState title="No event stores yet">
          <p>
            An event store keeps events of one <Link href="/event-definitions">event definition</Link>. Create a
            definition first, then a store that uses it.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Event stores in this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Definition</th>
                <th scope="col" className="num">Events</th>
                <th scope="col">Earliest event</th>
                <th scope="col">Latest event</th>
              </tr>
            </thead>
            <tbody>
              {stores.map((store) => (
                <tr key={store.id}>
                  <th scope="row">
                    <Link href={`/event-stores/${store.id}`}>{store.name}</Link>
                    {store.description ? <div className="muted small">{store.description}</div> : null}
                  </th>
                  <td>
                    <StatusBadge label={store.status} />
                  </td>
                  <td>{store.definitionName}</td>
                  <td className="num">{formatCount(store.eventCount)}</td>
                  <td>{formatDateTime(store.earliest)}</td>
                  <td>{formatDateTime(store.latest)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <StatusLegend />
        </div>
      )}
      <section className="card">
        <CreateStoreForm definitions={definitions.map((d) => ({ id: d.id, name: d.name }))} refusal={refusal} />
      </section>
    </>
  );
}
