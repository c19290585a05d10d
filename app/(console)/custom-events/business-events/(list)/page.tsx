import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { DateTime } from '@/components/ui/date-time';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageContext } from '@/lib/auth/request-context';
import { BASE_OBJECT_NAMES } from '@/lib/custom-events/condition-schema';
import { listBusinessEvents, parseBusinessEventFilters, type BusinessEventFilters } from '@/lib/custom-events/changes/read-business-events';
import { getPool } from '@/lib/db/pool';
import { isAppError } from '@/lib/errors';

export const metadata: Metadata = { title: 'Business Events' };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const FILTERS = ['eventType', 'object', 'recordId', 'from', 'to'] as const;

export default async function BusinessEventsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const [search, context] = await Promise.all([searchParams, requirePageContext()]);
  const raw = Object.fromEntries(FILTERS.map((name) => [name, one(search[name])])) as Record<(typeof FILTERS)[number], string>;
  const params = new URLSearchParams(Object.entries(raw).filter(([, v]) => v));
  let filters: BusinessEventFilters | null = null;
  let filterError: string | null = null;
  try {
    filters = parseBusinessEventFilters({ ...raw, before: one(search.before) || undefined });
  } catch (error) {
    if (!isAppError(error)) throw error;
    filterError = `${error.userMessage} ${Object.values(error.fieldErrors).flat().join(' ')}`.trim();
  }
  const page = filters ? await listBusinessEvents(getPool(), context.workspaceId, filters) : { events: [], next: null };
  const href = (extra: Record<string, string>) => `/custom-events/business-events?${new URLSearchParams({ ...Object.fromEntries(params), ...extra })}`;
  const field = (name: (typeof FILTERS)[number], label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`be-${name}`}>{label}</label>
      <input id={`be-${name}`} name={name} defaultValue={raw[name]} maxLength={255} placeholder={hint} aria-invalid={filterError ? true : undefined} aria-describedby={filterError ? 'be-filter-error' : undefined} />
    </div>
  );
  return (
    <>
      <PageHeader
        title="Business Events"
        description="Changes to billing objects that an active trigger's condition matched: one event per trigger and change, newest first."
        actions={
          <Link href="/custom-events" className="button secondary">
            Triggers
          </Link>
        }
      />
      <section className="card" aria-labelledby="be-title">
        <h2 id="be-title" className="sr-only">
          Events
        </h2>
        <Form action="/custom-events/business-events" className="filters" aria-label="Filter business events">
          {field('eventType', 'Event type', 'InvoicePosted')}
          <div className="field">
            <label htmlFor="be-object">Object</label>
            <select id="be-object" name="object" defaultValue={raw.object}>
              <option value="">All objects</option>
              {BASE_OBJECT_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          {field('recordId', 'Record id')}
          {field('from', 'Changed from (UTC)', '2026-11-01T00:00:00Z')}
          {field('to', 'Changed before (UTC)', '2026-12-01T00:00:00Z')}
          <button type="submit" className="button">
            Filter
          </button>
          {params.size > 0 ? <Link href="/custom-events/business-events">Clear filters</Link> : null}
        </Form>
        {filterError ? (
          <p id="be-filter-error" role="alert" className="form-status error">
            {filterError}
          </p>
        ) : page.events.length === 0 ? (
          params.size > 0 ? (
            <p className="muted">No business events match these filters.</p>
          ) : (
            <EmptyState title="No business events yet">
              <p>
                A business event is stored each time an active trigger&apos;s condition is true for an object change sent to{' '}
                <code>POST /api/v1/object-changes</code>. Create a trigger on the <Link href="/custom-events">Custom Events</Link> page, then send
                changes; the README shows how.
              </p>
            </EmptyState>
          )
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Business events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Event type</th>
                  <th scope="col">Object</th>
                  <th scope="col">Record id</th>
                  <th scope="col">Change</th>
                  <th scope="col">Changed fields</th>
                  <th scope="col">Changed</th>
                  <th scope="col">Processed</th>
                </tr>
              </thead>
              <tbody>
                {page.events.map((event) => (
                  <tr key={event.id}>
                    <th scope="row">
                      <Link href={`/custom-events/business-events/${event.id}`}>{event.eventType}</Link>
                    </th>
                    <td>{event.object}</td>
                    <td>
                      <code>{event.recordId}</code>
                    </td>
                    <td>{event.changeType}</td>
                    <td>{event.changedFields.join(', ') || '—'}</td>
                    <td>
                      <DateTime value={new Date(event.changedAt)} />
                    </td>
                    <td>
                      <DateTime value={new Date(event.processedAt)} relative />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Pages" className="pager">
          {filters?.before ? <Link href={href({})}>Newest</Link> : null}
          {page.next ? <Link href={href({ before: page.next })}>Older</Link> : null}
        </nav>
      </section>
    </>
  );
}
