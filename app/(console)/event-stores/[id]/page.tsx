import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { BackfillButton } from '@/components/backfills/backfill-button';
import { BackfillsSection } from '@/components/backfills/backfills-section';
import { EventDrawer } from '@/components/event-stores/event-drawer';
import { EventsBrowser } from '@/components/event-stores/events-browser';
import { EventsChart } from '@/components/event-stores/events-chart';
import { filterable, filterFields } from '@/components/event-stores/filter-fields';
import { StatusBadge } from '@/components/event-stores/status-badge';
import { UploadEvents } from '@/components/event-stores/upload-events';
import { formatCount, formatDateTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { PageSkeleton } from '@/components/ui/skeleton';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPool } from '@/lib/db/pool';
import { listBackfills } from '@/lib/backfills/read-backfills';
import { AppError, isAppError } from '@/lib/errors';
import { eventHistogram } from '@/lib/event-store/event-histogram';
import { parseEventQuery } from '@/lib/event-store/event-query';
import { filterIndexStates } from '@/lib/event-store/filter-indexes';
import { findStore, getStore } from '@/lib/event-store/get-store';
import { MAX_INGEST_BYTES } from '@/lib/event-store/ingest/ingest-events';
import { readStoreHolder } from '@/lib/event-store/store-holder';
import { browseEvents, decodeCursor, encodeCursor, getEvent, type ScanQuery } from '@/lib/event-store/scan-events';
import { metersOfStore, type StoreMeter } from '@/lib/meters/repository';

export const metadata: Metadata = { title: 'Event Store' };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function EventStorePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const [{ id }, search, context] = await Promise.all([params, searchParams, requirePageContext()]);
  const store = await findStore(context.workspaceId, id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  // The existence check above runs before anything streams, so a missing store still answers 404; the rest
  // (counts, chart, a page of events) streams in behind a skeleton. A loading.tsx here would answer 200.
  return (
    <Suspense fallback={<PageSkeleton label={`event store ${store.name}`} rows={8} />}>
      <StoreDetails store={store} search={search} context={context} />
    </Suspense>
  );
}

async function StoreDetails({
  store,
  search,
  context,
}: {
  store: Awaited<ReturnType<typeof findStore>>;
  search: Search;
  context: Awaited<ReturnType<typeof requirePageContext>>;
}) {
  const filters = { from: one(search.from), to: one(search.to), field: one(search.field), value: one(search.value), zone: one(search.zone) };
  const queryParams = new URLSearchParams();
  if (filters.from) queryParams.set('from', filters.from);
  if (filters.to) queryParams.set('to', filters.to);
  if (filters.field && filters.value) queryParams.set(`where.${filters.field}`, filters.value);

  let query: ScanQuery = { limit: 50, direction: 'desc' };
  let queryError: string | null = null;
  const before = decodeCursor(one(search.before));
  try {
    if (one(search.before) && !before) throw new AppError('INVALID_QUERY', 'The page link is not valid; start again from the first page.');
    if (filters.value && !filters.field) {
      throw new AppError('INVALID_QUERY', `Choose the field that should equal “${filters.value}”, or clear the value.`);
    }
    query = parseEventQuery(new URLSearchParams([...queryParams, ['after', one(search.after)], ['limit', '50']].filter(([, v]) => v)), store.definition);
  } catch (error) {
    if (!isAppError(error)) throw error;
    queryError = Object.values(error.fieldErrors).flat().join(' ') || error.userMessage;
  }

  const pool = getPool();
  const [summary, meters, holder, backfills, page, selected, indexStates] = await Promise.all([
    getStore(context.workspaceId, store.id),
    metersOfStore(context.workspaceId, store.id),
    readStoreHolder(context, store.id),
    listBackfills(context, store.id),
    // A query with an error shows no events at all, rather than every event under a form that says otherwise.
    queryError ? Promise.resolve({ rows: [], next: null, previous: null }) : browseEvents(pool, store.id, { ...query, before }),
    one(search.event) ? getEvent(pool, store.id, one(search.event)) : Promise.resolve(null),
    filterIndexStates(pool, filterable(store.definition.fields).map((f) => f.name)),
  ]);
  const histogram =
    summary.earliest && summary.latest
      ? await eventHistogram(pool, store.id, { earliest: summary.earliest, latest: summary.latest })
      : null;

  // Where in the events the reader is, kept when an event is opened or closed.
  const position = { after: one(search.after), before: one(search.before) };
  const href = (extra: Record<string, string>) => {
    const p = new URLSearchParams(Object.entries({ ...filters, ...extra }).filter(([, v]) => v));
    return `/event-stores/${store.id}${p.size ? `?${p}` : ''}`;
  };
  const exportQuery = [...queryParams].map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('');
  const uploadRefusal = refusalMessage(context.role, context.workspaceName, 'events.write');
  const backfillRefusal = refusalMessage(context.role, context.workspaceName, 'events.delete');

  return (
    <>
      <p className="small">
        <Link href="/event-stores">← Event Stores</Link>
      </p>
      <PageHeader
        title={store.name}
        description={store.description || undefined}
        actions={
          <>
            <StatusBadge label={summary.status} />
            <BackfillButton storeId={store.id} initial={holder} refusal={backfillRefusal} />
          </>
        }
      />
      <section className="card" aria-labelledby="overview-title">
        <h2 id="overview-title" className="sr-only">
          Overview
        </h2>
        <dl className="stats">
          <div>
            <dt>Events</dt>
            <dd>{formatCount(summary.eventCount)}</dd>
          </div>
          <div>
            <dt>Earliest event</dt>
            <dd className="small">{formatDateTime(summary.earliest)}</dd>
          </div>
          <div>
            <dt>Latest event</dt>
            <dd className="small">{formatDateTime(summary.latest)}</dd>
          </div>
          <div>
            <dt>Definition</dt>
            <dd className="small">
              <Link href="/event-definitions">{store.definition.name}</Link> (version {store.definition.version}): id{' '}
              <code>{store.definition.eventIdField}</code>, time <code>{store.definition.eventTimeField}</code>
            </dd>
          </div>
          <div>
            <dt>Meters</dt>
            <dd className="small">
              <StoreMeters meters={meters} />
            </dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="chart-title">
        <h2 id="chart-title">Events over time</h2>
        {histogram ? <EventsChart buckets={histogram.buckets} unit={histogram.unit} /> : <p className="muted">No events yet: upload a file or send them to the REST API.</p>}
      </section>
      <section className="card">{uploadRefusal ? <RefusalNote message={uploadRefusal} /> : <UploadEvents storeId={store.id} maxBytes={MAX_INGEST_BYTES} />}</section>
      <EventsBrowser
        storeId={store.id}
        definition={store.definition}
        filterFields={filterFields(store.definition.fields, indexStates)}
        canEditDefinition={refusalMessage(context.role, context.workspaceName, 'definition.write') === null}
        filters={filters}
        rows={page.rows}
        nextHref={page.next ? href({ after: encodeCursor(page.next) }) : null}
        firstHref={one(search.after) || one(search.before) ? href({}) : null}
        previousHref={page.previous ? href({ before: encodeCursor(page.previous) }) : null}
        viewHref={(eventId) => href({ ...position, event: eventId })}
        exportQuery={exportQuery}
        queryError={queryError}
      />
      <BackfillsSection storeId={store.id} backfills={backfills} canChange={!backfillRefusal} />
      <EventDrawer key={selected?.eventId} event={selected} closeHref={href(position)} />
    </>
  );
}

/** The meters that read or write the store, each a link to its canvas. */
function StoreMeters({ meters }: { meters: StoreMeter[] }) {
  if (meters.length === 0) return <>No saved meter reads or writes this store yet.</>;
  return (
    <ul className="plain-list">
      {meters.map((m) => (
        <li key={`${m.id}-${m.role}`}>
          <Link href={`/meters/${m.id}`}>{m.name}</Link> {m.role === 'source' ? '(reads it)' : '(writes it)'}
        </li>
      ))}
    </ul>
  );
}
