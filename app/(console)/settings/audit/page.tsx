import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { listAuditEvents } from '@/lib/audit/audit-log';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';

export const metadata: Metadata = { title: 'Audit Log' };

export default async function AuditLogPage() {
  const context = await requirePageContext();
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
  const events = await listAuditEvents(getPrisma(), context.workspaceId, { limit: 200 });
  return (
    <>
      {header}
      {events.length === 0 ? (
        <EmptyState title="Nothing recorded yet">
          <p>Saving meters, starting runs, backfills, trigger edits and API key changes appear here.</p>
        </EmptyState>
      ) : (
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
                  <td className="small">{formatDateTime(e.at)}</td>
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
      )}
    </>
  );
}
