import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { UsageRecordsTable } from '@/components/usage-records/usage-records-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { isAppError } from '@/lib/errors';
import { decodeUsageCursor, encodeUsageCursor, listUsageRecords } from '@/lib/usage-records/list-usage-records';
import { parseUsageRecordFilters, type UsageRecordFilters } from '@/lib/usage-records/usage-record-filters';

export const metadata: Metadata = { title: 'Usage Records' };

const PAGE_SIZE = 50;
type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function UsageRecordsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const [search, context] = await Promise.all([searchParams, requirePageContext()]);
  const raw = { meter: one(search.meter), account: one(search.account) };
  const params = new URLSearchParams(Object.entries(raw).filter(([, v]) => v));
  let filters: UsageRecordFilters | null = null;
  let filterError: string | null = null;
  try {
    filters = await parseUsageRecordFilters(context.workspaceId, params);
  } catch (error) {
    if (!isAppError(error)) throw error;
    filterError = `${error.userMessage} ${Object.values(error.fieldErrors).flat().join(' ')}`.trim();
  }
  const before = decodeUsageCursor(one(search.before));
  const [meters, page, anyRecord] = await Promise.all([
    getPrisma().meter.findMany({ where: { workspaceId: context.workspaceId }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    filters ? listUsageRecords(getPool(), context.workspaceId, { ...filters, before, limit: PAGE_SIZE }) : Promise.resolve({ rows: [], next: null }),
    getPrisma().usageRecord.findFirst({ where: { workspaceId: context.workspaceId }, select: { id: true } }),
  ]);
  const filtered = params.size > 0;
  const href = (extra: Record<string, string>) => `/usage-records?${new URLSearchParams({ ...Object.fromEntries(params), ...extra })}`;
  return (
    <>
      <PageHeader
        title="Usage Records"
        description="Billable usage written by meters with a usage-records target: one row per unique key and meter."
        actions={
          anyRecord ? (
            <a className="button secondary" href={`/api/v1/usage-records/export${params.size ? `?${params}` : ''}`} download>
              Export CSV
            </a>
          ) : undefined
        }
      />
      {!anyRecord ? (
        <EmptyState title="No usage records yet">
          <p>
            Usage records are written by meters whose target is <strong>Usage records</strong>: each maps upstream fields
            onto an account number, a unit of measure, a quantity, a start and end time and a unique key. Build such a
            meter on the <Link href="/meters">Meters</Link> page and run it; its records appear here, ready to browse and
            export as CSV.
          </p>
        </EmptyState>
      ) : (
        <section className="card" aria-labelledby="usage-title">
          <h2 id="usage-title" className="sr-only">
            Records
          </h2>
          <Form action="/usage-records" className="filters" aria-label="Filter usage records">
            <div className="field">
              <label htmlFor="usage-meter">Meter</label>
              <select id="usage-meter" name="meter" defaultValue={raw.meter} aria-invalid={filterError ? true : undefined} aria-describedby={filterError ? 'usage-filter-error' : undefined}>
                <option value="">All meters</option>
                {meters.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="usage-account">Account number</label>
              <input id="usage-account" name="account" defaultValue={raw.account} maxLength={200} />
            </div>
            <button type="submit" className="button">
              Filter
            </button>
            {filtered ? <Link href="/usage-records">Clear filters</Link> : null}
          </Form>
          {filterError ? (
            <p id="usage-filter-error" role="alert" className="form-status error">
              {filterError}
            </p>
          ) : page.rows.length === 0 ? (
            <p className="muted">No usage records match. Choose another meter or clear the account number.</p>
          ) : (
            <UsageRecordsTable rows={page.rows} />
          )}
          <nav aria-label="Pages" className="pager">
            {before ? <Link href={href({})}>Newest</Link> : null}
            {page.next ? <Link href={href({ before: encodeUsageCursor(page.next) })}>Older</Link> : null}
          </nav>
        </section>
      )}
    </>
  );
}
