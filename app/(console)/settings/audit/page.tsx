import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { DateTime } from '@/components/ui/date-time';
import { formatCount } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { listAuditEvents } from '@/lib/audit/audit-log';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';

export const metadata: Metadata = { title: 'Audit Log' };

const PAGE_SIZE = 100;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [context, search] = await Promise.all([requirePageContext(), searchParams]);
  const beforeText = typeof search.before === 'string' && /^\d{1,19}$/.test(search.before) ? search.before : null;
  const refusal = refusalMessage(context.role, context.workspaceName, 'audit.read');
  const header = <PageHeader title="Audit Log" description="Who changed what, and when, in this workspace. Newest first." />;
  if (refusal) {
    return (
      <>
        {header}
        <RefusalNote message={refusal} />
      </>
    );
  }
  // One more than a page tells whether there are older entries.
  const fetched = await listAuditEvents(getPrisma(), context.workspaceId, { limit: PAGE_SIZE + 1, ...(beforeText ? { before: BigInt(beforeText) } : {}) });
  const events = fetched.slice(0, PAGE_SIZE);
  const olderHref = fetched.length > PAGE_SIZE ? `/settings/audit?before=${events.at(-1)!.id}` : null;
  const pager = (
    <nav className="pager" aria-label="Pages of audit entries">
      {beforeText ? <Link href="/settings/audit">Newest entries</Link> : null}
      {olderHref ? <Link href={olderHref}>Older entries</Link> : <span className="muted small">{events.length ? 'Oldest entry reached' : ''}</span>}
    </nav>
  );
  return (
    <>
      {header}
      {events.length === 0 && !beforeText ? (
        <EmptyState title="Nothing recorded yet">
          <p>Saving meters, starting runs, backfills, trigger edits and API key changes appear here.</p>
        </EmptyState>
      ) : (
        <>
          <p className="muted small">
            Showing {formatCount(events.length)} entr{events.length === 1 ? 'y' : 'ies'}
            {beforeText ? ', older than the previous page' : ', the newest first'}.
          </p>
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Audit events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td className="small"><DateTime value={e.at} relative /></td>
                    <td>
                      {e.actor}
                      {e.actorType === 'api_key' ? <span className="muted small"> (API key)</span> : null}
                    </td>
                    <th scope="row">
                      <code>{e.action}</code>
                    </th>
                    <td className="small">{e.target}</td>
                    <td className="small">
                      <code>{JSON.stringify(e.details)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pager}
        </>
      )}
    </>
  );
}
