'use client';

import Form from 'next/form';
import Link from 'next/link';
import { useState } from 'react';
import { DateTimeRangePicker, type DateTimeRange } from '@/components/ui/date-time-range-picker';
import { readInstant, UTC } from '@/lib/time/date-time-range';
import type { BrowserFilters } from './events-browser';
import { filterFieldLabel, filterFieldSpeed, type FilterField } from './filter-fields';

/** A zone name from the URL, if the runtime knows it (anything else falls back to UTC). */
function knownZone(zone: string): string {
  if (!zone) return UTC;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return UTC;
  }
}

/**
 * The events filter: a time range (UTC instants in the URL, shown in the chosen zone) and one field that
 * must equal a value. The value is asked for only once a field is chosen: a value without a field has
 * nothing to match. A GET form, so every filtered view is a link; Next's Form navigates without a reload.
 * The chooser marks indexed fields, and a hint says when the chosen field's filter reads every event.
 */
export function EventsFilterForm({
  storeId,
  fields,
  definitionHref,
  filters,
  errorId,
}: {
  storeId: string;
  fields: FilterField[];
  /** The store's definition in the editor, where a field can be marked indexed; null for those who may not edit it. */
  definitionHref: string | null;
  filters: BrowserFilters;
  /** The id of the server's message about the filter, when there is one. */
  errorId: string | null;
}) {
  const [range, setRange] = useState<DateTimeRange>({ start: readInstant(filters.from), end: readInstant(filters.to), zone: knownZone(filters.zone) });
  const [field, setField] = useState(fields.some((f) => f.name === filters.field) ? filters.field : '');
  const chosen = fields.find((f) => f.name === field);
  const speed = chosen ? filterFieldSpeed(chosen) : null;
  const describedBy = [errorId, speed ? 'filter-field-speed' : null].filter(Boolean).join(' ');
  return (
    <Form action={`/event-stores/${storeId}`} className="filters" aria-label="Filter events">
      <DateTimeRangePicker
        value={range}
        onChange={setRange}
        names={{ start: 'from', end: 'to', zone: 'zone' }}
        hint="Events from the start up to, not including, the end."
        describedBy={errorId ?? undefined}
      />
      <div className="field">
        <label htmlFor="filter-field">Field</label>
        <select
          id="filter-field"
          name="field"
          value={field}
          onChange={(e) => setField(e.target.value)}
          aria-invalid={errorId ? true : undefined}
          aria-describedby={describedBy || undefined}
        >
          <option value="">Choose a field…</option>
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {filterFieldLabel(f)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-value">equals</label>
        <input
          id="filter-value"
          name="value"
          defaultValue={filters.value}
          disabled={!field}
          aria-describedby={field ? errorId ?? undefined : 'filter-value-hint'}
          aria-invalid={field && errorId ? true : undefined}
        />
        {field ? null : (
          <p id="filter-value-hint" className="hint">
            Choose a field first.
          </p>
        )}
      </div>
      <button type="submit" className="button">
        Apply
      </button>
      <Link href={`/event-stores/${storeId}`} className="button secondary">
        Clear
      </Link>
      {speed === 'not-indexed' ? (
        <p id="filter-field-speed" className="hint filter-speed">
          {field} is not indexed: on a big store this filter reads every event.{' '}
          {definitionHref ? (
            <>
              <Link href={definitionHref}>Mark it Indexed in the definition</Link> to keep it fast.
            </>
          ) : (
            'An owner or editor can mark it Indexed in the definition to keep it fast.'
          )}
        </p>
      ) : speed === 'building' ? (
        <p id="filter-field-speed" className="hint filter-speed">
          The index on {field} is being built; filters read every event until it is ready.
        </p>
      ) : null}
    </Form>
  );
}
