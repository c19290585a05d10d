import type { Metadata } from 'next';
import Link from 'next/link';
import { ConnectorStatusBadge, formatLag } from '@/app/(console)/custom-events/connectors/status-badge';
import { DateTime } from '@/components/ui/date-time';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { listConnectors } from '@/lib/custom-events/connectors/read-connectors';

export const metadata: Metadata = { title: 'Connectors' };

const NEW = '/custom-events/connectors/new';

export default async function ConnectorsPage() {
  const context = await requirePageContext();
  const connectors = await listConnectors(context.workspaceId);
  const refusal = refusalMessage(context.role, context.workspaceName, 'connector.write');
  return (
    <>
      <PageHeader
        title="Connectors"
        description="Change capture from your PostgreSQL billing database: rows of mapped tables become object changes, which triggers turn into business events."
        actions={
          refusal ? null : (
            <Link href={NEW} className="button">
              New connector
            </Link>
          )
        }
      />
      {refusal ? <RefusalNote message={refusal} /> : null}
      {connectors.length === 0 ? (
        <EmptyState title="No connectors yet">
          <p>
            A connector reads a PostgreSQL database by logical replication: each committed INSERT, UPDATE or DELETE of a mapped table (say, invoices →
            Invoice) becomes an object change, in order, none lost or repeated across restarts.
          </p>
          {refusal ? null : (
            <p>
              <Link href={NEW}>New connector</Link>
            </p>
          )}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Connectors in this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Tables</th>
                <th scope="col" className="num">Changes captured</th>
                <th scope="col">Lag</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {connectors.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link href={`/custom-events/connectors/${c.id}`}>{c.name}</Link>
                  </th>
                  <td className="small">{c.source}</td>
                  <td>
                    <ConnectorStatusBadge status={c.status} />
                    {c.desiredState === 'stopped' && c.status !== 'stopped' ? <div className="muted small">stopping</div> : null}
                  </td>
                  <td className="small">{c.mappings.map((m) => `${m.table} → ${m.object}`).join(', ')}</td>
                  <td className="num">{c.changesCaptured.toLocaleString('en')}</td>
                  <td className="small">{formatLag(c.lagBytes)}</td>
                  <td>{c.lastChangeAt ? <DateTime value={c.lastChangeAt} relative /> : <span className="muted">none yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
