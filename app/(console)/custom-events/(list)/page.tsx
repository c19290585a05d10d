import { describeSchedule } from '@/lib/custom-events/date-triggers/date-schedule';
import type { Metadata } from 'next';
import Link from 'next/link';
import { HighlightedExpression } from '@/components/expression-editor/highlighted-expression';
import { EmptyState } from '@/components/ui/empty-state';
import { DateTime } from '@/components/ui/date-time';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { listTriggers } from '@/lib/custom-events/triggers/list-triggers';

export const metadata: Metadata = { title: 'Custom Events' };

const NEW_TRIGGER = '/custom-events/triggers/new';

export default async function CustomEventsPage() {
  const context = await requirePageContext();
  const triggers = await listTriggers(context.workspaceId);
  // Viewers get no links to forms they may not use, and are told why.
  const refusal = refusalMessage(context.role, context.workspaceName, 'trigger.write');
  return (
    <>
      <PageHeader
        title="Custom Events"
        description="Triggers turn changes to billing objects (an invoice posted, a subscription cancelled) into business events that notifications deliver."
        actions={
          <>
            <Link href="/custom-events/business-events" className="button secondary">
              Business events
            </Link>
            <Link href="/custom-events/notifications" className="button secondary">
              Notifications
            </Link>
            <Link href="/custom-events/connectors" className="button secondary">
              Connectors
            </Link>
            {refusal ? null : (
              <Link href={NEW_TRIGGER} className="button">
                New trigger
              </Link>
            )}
          </>
        }
      />
      <section aria-labelledby="triggers-title">
        <h2 id="triggers-title">Triggers</h2>
        {refusal ? <RefusalNote message={refusal} /> : null}
        {triggers.length === 0 ? (
          <EmptyState title="No triggers yet">
            <p>
              A trigger watches one billing object. Each time such an object is created, changed or deleted, its condition, written in
              the expression language (say, <code>changed(&apos;Status&apos;) &amp;&amp; Invoice.Status == &apos;Posted&apos;</code>), decides whether
              the change becomes a business event of the trigger&apos;s event type, which notifications deliver by webhook or email.
            </p>
            {refusal ? null : (
              <p>
                <Link href={NEW_TRIGGER}>New trigger</Link>
              </p>
            )}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Triggers in this workspace</caption>
              <thead>
                <tr>
                  <th scope="col">Event type</th>
                  <th scope="col">Base object</th>
                  <th scope="col">Condition</th>
                  <th scope="col">Active</th>
                  <th scope="col" className="num">Version</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {triggers.map((trigger) => (
                  <tr key={trigger.id}>
                    <th scope="row">
                      <Link href={`/custom-events/triggers/${trigger.id}`}>{trigger.eventType}</Link>
                      {trigger.description ? <div className="muted small">{trigger.description}</div> : null}
                    </th>
                    <td>{trigger.baseObject}</td>
                    <td>
                      {trigger.schedule ? <p className="small">{describeSchedule(trigger.baseObject, trigger.schedule)}</p> : null}
                      <HighlightedExpression source={trigger.condition} />
                    </td>
                    <td>{trigger.active ? 'yes' : 'no'}</td>
                    <td className="num">{trigger.version}</td>
                    <td>
                      <DateTime value={trigger.updatedAt} relative />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
