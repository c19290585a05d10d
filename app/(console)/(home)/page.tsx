import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';
import { formatCount } from '@/components/ui/format';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { getWorkspaceSummary, RECENT_EVENT_DAYS, type WorkspaceSummary } from '@/lib/workspaces/workspace-summary';

export default async function HomePage() {
  const context = await requirePageContext();
  const summary = await getWorkspaceSummary(getPrisma(), getPool(), context.workspaceId);
  return (
    <>
      <PageHeader
        title="Welcome to the Usage Console"
        description="Turn raw usage into billable records: keep events in stores, shape them with meters, replay and correct them."
      />
      <section aria-labelledby="summary-title" className="card">
        <h2 id="summary-title">{context.workspaceName}</h2>
        <p className="muted">
          The workspace you are in, as {context.role === 'owner' ? 'an' : 'a'} {context.role}.
        </p>
        <dl className="stats">
          <div>
            <dt>Event definitions</dt>
            <dd>{formatCount(summary.definitions)}</dd>
          </div>
          <div>
            <dt>Event stores</dt>
            <dd>{formatCount(summary.stores)}</dd>
          </div>
          <div>
            <dt>Triggers</dt>
            <dd>{formatCount(summary.triggers)}</dd>
          </div>
          <div>
            <dt>Events in the last {RECENT_EVENT_DAYS} days</dt>
            <dd>{formatCount(summary.recentEvents)}</dd>
          </div>
        </dl>
      </section>
      {summary.empty ? <FirstSteps workspaceName={context.workspaceName} /> : <WhereToStart summary={summary} />}
    </>
  );
}

/** An empty workspace: the steps that fill it, in the order each one needs the one before. */
function FirstSteps({ workspaceName }: { workspaceName: string }) {
  return (
    <section aria-labelledby="first-steps-title" className="card">
      <h2 id="first-steps-title">First steps in {workspaceName}</h2>
      <p>Nothing has been built here yet. These steps take a few minutes:</p>
      <ol className="steps">
        <li>
          <Link href="/event-definitions/new">Create an event definition</Link>: the typed shape of your events, with the
          field that identifies each event and the field that says when it happened.
        </li>
        <li>
          <Link href="/event-stores">Create an event store</Link> for that definition: where its events are kept.
        </li>
        <li>
          Upload events: open the store and upload a CSV, JSON or NDJSON file, or{' '}
          <Link href="/settings/api-keys">create an API key</Link> and send them to the REST API.
        </li>
        <li>
          <Link href="/custom-events/triggers/new">Write a trigger</Link> that turns object changes, such as an invoice
          being posted, into business events.
        </li>
      </ol>
    </section>
  );
}

function WhereToStart({ summary }: { summary: WorkspaceSummary }) {
  return (
    <section aria-labelledby="first-steps-title" className="card">
      <h2 id="first-steps-title">Where to start</h2>
      <ol className="steps">
        <li>
          <Link href="/event-definitions">Look at the event definitions</Link>: the typed shape of your events, with
          the field that identifies each event and the field that says when it happened.
        </li>
        <li>
          <Link href="/event-stores">Open an event store</Link>: {formatCount(summary.stores)} here, with{' '}
          {formatCount(summary.recentEvents)} events from the last {RECENT_EVENT_DAYS} days to browse and replay.
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
  );
}
