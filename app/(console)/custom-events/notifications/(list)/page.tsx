import type { Metadata } from 'next';
import Link from 'next/link';
import { STATUS_LABEL } from '@/components/notifications/delivery-log';
import { DateTime } from '@/components/ui/date-time';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPool } from '@/lib/db/pool';
import { listEndpoints } from '@/lib/notifications/read-notifications';

export const metadata: Metadata = { title: 'Notifications' };

const NEW = '/custom-events/notifications/new';

export default async function NotificationsPage() {
  const context = await requirePageContext();
  const endpoints = await listEndpoints(getPool(), context.workspaceId);
  const refusal = refusalMessage(context.role, context.workspaceName, 'notification.write');
  return (
    <>
      <Link href="/custom-events">← Custom Events</Link>
      <PageHeader
        title="Notifications"
        description="Where business events go: webhook endpoints (signed per Standard Webhooks, retried with backoff) and email subscriptions, per event type."
        actions={
          <>
            <Link href="/custom-events/notifications/mail" className="button secondary">
              Caught mail
            </Link>
            {refusal ? null : (
              <>
                <Link href={`${NEW}?channel=email`} className="button secondary">
                  Add email subscription
                </Link>
                <Link href={NEW} className="button">
                  Add webhook endpoint
                </Link>
              </>
            )}
          </>
        }
      />
      {refusal ? <RefusalNote message={refusal} /> : null}
      {endpoints.length === 0 ? (
        <EmptyState title="No endpoints yet">
          <p>
            Add a webhook endpoint (a URL that receives each business event of a type as a signed JSON POST) or an email subscription, and
            every new event of that type is delivered there, at least once, with each attempt in a delivery log.
          </p>
          {refusal ? null : (
            <p>
              <Link href={NEW}>Add webhook endpoint</Link> or <Link href={`${NEW}?channel=email`}>add an email subscription</Link>
            </p>
          )}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Notification endpoints in this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Event type</th>
                <th scope="col">Channel</th>
                <th scope="col">Delivers to</th>
                <th scope="col">State</th>
                <th scope="col">Last delivery</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => {
                const target = e.channel === 'webhook' ? (e.url ?? '') : e.recipients.join(', ');
                return (
                  <tr key={e.id}>
                    <th scope="row">
                      <Link href={`/custom-events/notifications/${e.id}`} aria-label={`${e.eventType} ${e.channel} to ${target}`}>
                        {e.eventType}
                      </Link>
                    </th>
                    <td>{e.channel === 'webhook' ? 'Webhook' : 'Email'}</td>
                    <td className="break">{target}</td>
                    <td>{e.active ? 'Active' : <span title={e.disabledReason ?? undefined}>Disabled{e.disabledReason ? `: ${e.disabledReason}` : ''}</span>}</td>
                    <td>
                      {e.lastDelivery ? (
                        <>
                          {STATUS_LABEL[e.lastDelivery.status]}
                          {e.lastDelivery.lastStatus ? ` (${e.lastDelivery.lastStatus})` : ''}, <DateTime value={e.lastDelivery.at} relative />
                        </>
                      ) : (
                        'None yet'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
