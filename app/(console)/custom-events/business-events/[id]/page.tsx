import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExplainTree } from '@/components/custom-events/explain-tree';
import { DeliveryLog } from '@/components/notifications/delivery-log';
import { HighlightedExpression } from '@/components/expression-editor/highlighted-expression';
import { DateTime } from '@/components/ui/date-time';
import { PageHeader } from '@/components/ui/page-header';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getBusinessEvent } from '@/lib/custom-events/changes/read-business-events';
import { getPool } from '@/lib/db/pool';
import { isAppError } from '@/lib/errors';
import { listDeliveries } from '@/lib/notifications/read-notifications';

export const metadata: Metadata = { title: 'Business event' };

export default async function BusinessEventPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, context] = await Promise.all([params, requirePageContext()]);
  const event = await getBusinessEvent(getPool(), context.workspaceId, id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const deliveries = await listDeliveries(getPool(), context.workspaceId, { eventId: event.id });
  const canResend = !refusalMessage(context.role, context.workspaceName, 'notification.write');
  return (
    <>
      <Link href="/custom-events/business-events">← Business Events</Link>
      <PageHeader
        title={`${event.eventType}: ${event.object} ${event.recordId}`}
        description={
          event.firedFor
            ? `${event.object} ${event.recordId} came due on ${event.firedFor} for the date trigger (version ${event.triggerVersion}).`
            : `An ${event.changeType} of ${event.object} ${event.recordId} matched the trigger's condition (version ${event.triggerVersion}).`
        }
      />
      <section className="card" aria-labelledby="be-facts">
        <h2 id="be-facts">The event</h2>
        <dl className="stats">
          <dt>Event type</dt>
          <dd>{event.triggerId ? <Link href={`/custom-events/triggers/${event.triggerId}`}>{event.eventType}</Link> : `${event.eventType} (trigger deleted)`}</dd>
          <dt>Trigger version</dt>
          <dd>{event.triggerVersion}</dd>
          <dt>Change</dt>
          <dd>
            {event.changeType} of {event.object} <code>{event.recordId}</code>
          </dd>
          {event.firedFor ? (
            <>
              <dt>Fired for</dt>
              <dd>{event.firedFor} (a date trigger; the change shown is the record’s latest)</dd>
            </>
          ) : null}
          <dt>Changed fields</dt>
          <dd>{event.changedFields.join(', ') || '—'}</dd>
          <dt>Changed at</dt>
          <dd>
            <DateTime value={new Date(event.changedAt)} />
          </dd>
          <dt>Processed at</dt>
          <dd>
            <DateTime value={new Date(event.processedAt)} />
          </dd>
          <dt>Change id</dt>
          <dd>
            <code>{event.changeId}</code> (source: API)
          </dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="be-why">
        <h2 id="be-why">Why it fired</h2>
        <p>
          <HighlightedExpression source={event.condition} />
        </p>
        <ExplainTree node={event.explanation} />
      </section>
      <section className="card" aria-labelledby="be-payload">
        <h2 id="be-payload">Payload</h2>
        <h3>Current values</h3>
        <pre aria-label="Current values">{JSON.stringify(event.current, null, 2)}</pre>
        <h3>Previous values</h3>
        <pre aria-label="Previous values">{JSON.stringify(event.previous, null, 2)}</pre>
      </section>
      <section aria-labelledby="be-deliveries">
        <h2 id="be-deliveries">Deliveries</h2>
        {deliveries.length === 0 ? (
          <p className="muted">
            None: no webhook endpoint or email subscription was active for {event.eventType} when it was stored.{' '}
            <Link href="/custom-events/notifications">Notifications</Link>
          </p>
        ) : (
          <DeliveryLog deliveries={deliveries} show="endpoint" canResend={canResend} />
        )}
      </section>
    </>
  );
}
