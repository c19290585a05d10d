import Link from 'next/link';
import { formatDateTime } from '@/components/ui/format';
import { EventsFilterForm } from './events-filter-form';
import type { FilterField } from './filter-fields';
import type { DefinitionShape } from '@/lib/event-store/record-validation';
import type { EventRow } from '@/lib/event-store/scan-events';

export interface BrowserFilters {
  from: string;
  to: string;
  field: string;
  value: string;
  /** The zone the range is shown in (the URL's times are UTC whatever it is). */
  zone: string;
}

/** Filters, one page of events, paging and export links. GET forms and links: each view is a link. */
export function EventsBrowser({
  storeId,
  definition,
  filterFields,
  canEditDefinition,
  filters,
  rows,
  nextHref,
  previousHref,
  firstHref,
  viewHref,
  exportQuery,
  queryError,
}: {
  storeId: string;
  definition: DefinitionShape & { id: string };
  /** The fields a filter can match, with their indexes (filterFields). */
  filterFields: FilterField[];
  canEditDefinition: boolean;
  filters: BrowserFilters;
  rows: EventRow[];
  nextHref: string | null;
  previousHref: string | null;
  firstHref: string | null;
  viewHref: (eventId: string) => string;
  exportQuery: string;
  /** What is wrong with the filters: then no events, no export and no paging are offered. */
  queryError: string | null;
}) {
  const shown = definition.fields.filter((f) => f.name !== definition.eventIdField && f.name !== definition.eventTimeField).slice(0, 4);
  return (
    <section className="card" aria-labelledby="browser-title">
      <h2 id="browser-title">Events</h2>
      <EventsFilterForm
        key={JSON.stringify(filters)}
        storeId={storeId}
        fields={filterFields}
        definitionHref={canEditDefinition ? `/event-definitions/${definition.id}/edit` : null}
        filters={filters}
        errorId={queryError ? 'filter-error' : null}
      />
      {queryError ? (
        <p role="alert" id="filter-error" className="form-status error">
          {queryError} No events are shown until the filter is fixed.
        </p>
      ) : null}
      {queryError ? null : (
        <>
          <div className="actions-row">
            <span className="muted small">Export the matching events:</span>
            <a className="button secondary" href={`/api/v1/event-stores/${storeId}/events?format=csv${exportQuery}`} download>
              Export CSV
            </a>
            <a className="button secondary" href={`/api/v1/event-stores/${storeId}/events?format=ndjson${exportQuery}`} download>
              Export NDJSON
            </a>
          </div>
          {rows.length === 0 ? (
            <p className="muted">No events match. Widen the time range or clear the filter.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Events, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Event time</th>
                    <th scope="col">Event id</th>
                    {shown.map((f) => (
                      <th scope="col" key={f.name}>
                        {f.name}
                      </th>
                    ))}
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.eventId}>
                      <td className="small">{formatDateTime(row.eventTime, true)}</td>
                      <th scope="row">
                        <code>{row.eventId}</code>
                      </th>
                      {shown.map((f) => (
                        <td key={f.name} className="small">
                          {row.payload[f.name] === undefined ? '—' : String(typeof row.payload[f.name] === 'object' ? JSON.stringify(row.payload[f.name]) : row.payload[f.name])}
                        </td>
                      ))}
                      <td>
                        <Link href={viewHref(row.eventId)} scroll={false} aria-label={`View event ${row.eventId}`} data-view-event={row.eventId}>
                          View
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pager" aria-label="Pages of events">
            {firstHref ? <Link href={firstHref}>First page</Link> : null}
            {previousHref ? <Link href={previousHref}>Previous page</Link> : null}
            {nextHref ? <Link href={nextHref}>Next page</Link> : <span className="muted small">{rows.length ? 'Last page' : ''}</span>}
          </nav>
        </>
      )}
    </section>
  );
}
