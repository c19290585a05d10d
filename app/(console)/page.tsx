import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';
import { formatCount } from '@/components/ui/format';
import { listDefinitions } from '@/lib/event-definitions/list-definitions';
import { listStores } from '@/lib/event-store/list-stores';
import { requirePageContext } from '@/lib/auth/request-context';

export default async function HomePage() {
  const context = await requirePageContext();
  const [stores, definitions] = await Promise.all([listStores(context.workspaceId), listDefinitions(context.workspaceId)]);
  const events = stores.reduce((sum, s) => sum + s.eventCount, 0);
  return (
    <>
      <PageHeader
        title="Welcome to the Usage Console"
        description="Turn raw usage into billable records: keep events in stores, shape them with meters, replay and correct them."
      />
      <section aria-labelledby="summary-title" className="card">
        <h2 id="summary-title">This workspace</h2>
        <dl className="stats">
          <div>
            <dt>Event definitions</dt>
            <dd>{formatCount(definitions.length)}</dd>
          </div>
          <div>
            <dt>Event stores</dt>
            <dd>{formatCount(stores.length)}</dd>
          </div>
          <div>
            <dt>Stored events</dt>
            <dd>{formatCount(events)}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="first-steps-title" className="card">
        <h2 id="first-steps-title">Where to start</h2>
        <ol className="steps">
          <li>
            <Link href="/event-definitions">Look at the event definitions</Link>: the typed shape of your events, with
            the field that identifies each event and the field that says when it happened.
          </li>
          <li>
            <Link href="/event-stores">Open an event store</Link>: the demo holds{' '}
            {formatCount(events)} events from the last 90 days, ready to browse and replay.
          </li>
          <li>
            <Link href="/meters">Build a meter</Link>: connect a source to processors (filter, map, deduplicate,
            aggregate) and a target on the canvas, then run it over a time frame.
          </li>
          <li>
            <Link href="/custom-events">Write a trigger condition</Link> that turns object changes, such as an invoice
            being posted, into business events and notifications.
          </li>
          <li>
            <Link href="/runs">Follow runs</Link>: every replay and backfill, with its progress and outcome.
          </li>
        </ol>
      </section>
    </>
  );
}
