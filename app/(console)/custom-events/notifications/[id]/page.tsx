import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeliveryLog } from '@/components/notifications/delivery-log';
import { DeleteEndpointButton, EndpointActiveToggle, RotateSecretButton } from '@/components/notifications/endpoint-controls';
import { EditEndpointForm } from '@/components/notifications/endpoint-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { listTriggers } from '@/lib/custom-events/triggers/list-triggers';
import { getPool } from '@/lib/db/pool';
import { isAppError } from '@/lib/errors';
import { getEndpoint, listDeliveries, DELIVERY_LOG_LIMIT } from '@/lib/notifications/read-notifications';

export const metadata: Metadata = { title: 'Notification endpoint' };

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const [context, { id }] = await Promise.all([requirePageContext(), params]);
  const endpoint = await getEndpoint(getPool(), context.workspaceId, id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const [deliveries, triggers] = await Promise.all([listDeliveries(getPool(), context.workspaceId, { endpointId: id }), listTriggers(context.workspaceId)]);
  const canWrite = !refusalMessage(context.role, context.workspaceName, 'notification.write');
  const target = endpoint.channel === 'webhook' ? (endpoint.url ?? '') : endpoint.recipients.join(', ');
  const label = `${endpoint.channel === 'webhook' ? 'webhook endpoint' : 'email subscription'} for ${endpoint.eventType}`;
  return (
    <>
      <Link href="/custom-events/notifications">← Notifications</Link>
      <PageHeader title={`${endpoint.eventType} → ${target}`} description={`A ${label}.`} />
      <section className="card" aria-labelledby="endpoint-facts">
        <h2 id="endpoint-facts">Endpoint</h2>
        <dl className="stats">
          <dt>State</dt>
          <dd>{endpoint.active ? 'Active' : `Disabled${endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ''}`}</dd>
          {endpoint.channel === 'webhook' ? (
            <>
              <dt>Signing secret</dt>
              <dd>
                <code aria-label="Signing secret (masked)">{endpoint.maskedSecret}</code>
              </dd>
            </>
          ) : null}
        </dl>
        {canWrite ? (
          <div className="actions-row">
            <EndpointActiveToggle id={endpoint.id} active={endpoint.active} label={label} />
            {endpoint.channel === 'webhook' ? <RotateSecretButton id={endpoint.id} /> : null}
          </div>
        ) : null}
      </section>
      {canWrite ? (
        <section className="card">
          <EditEndpointForm endpoint={endpoint} eventTypes={triggers.map((t) => t.eventType).sort()} />
        </section>
      ) : null}
      <section aria-labelledby="delivery-log-title">
        <h2 id="delivery-log-title">Delivery log</h2>
        {deliveries.length === 0 ? (
          <EmptyState title="No deliveries yet">
            <p>Each new {endpoint.eventType} business event is delivered here; every attempt shows up in this log.</p>
          </EmptyState>
        ) : (
          <>
            <p className="muted small">The latest {DELIVERY_LOG_LIMIT} deliveries, newest first.</p>
            <DeliveryLog deliveries={deliveries} show="event" canResend={canWrite} />
          </>
        )}
      </section>
      {canWrite ? (
        <section className="card" aria-labelledby="delete-endpoint-title">
          <h2 id="delete-endpoint-title">Delete</h2>
          <DeleteEndpointButton id={endpoint.id} label={`the ${label}`} />
        </section>
      ) : null}
    </>
  );
}
