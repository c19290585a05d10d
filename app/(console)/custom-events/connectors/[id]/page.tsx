import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConnectorStatusBadge, formatLag } from '@/app/(console)/custom-events/connectors/status-badge';
import { AutoRefresh, DeleteConnectorButton, GenerateActivityButton, StartStopButton } from '@/components/connectors/connector-controls';
import { DateTime } from '@/components/ui/date-time';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { mappingText } from '@/lib/custom-events/connectors/mappings';
import { getConnector, mappedTableIdentities, STALE_REPORT_MS } from '@/lib/custom-events/connectors/read-connectors';
import { DEMO_BILLING_DATABASE } from '@/lib/demo/demo-billing';

export const metadata: Metadata = { title: 'Connector' };

export default async function ConnectorPage({ params }: { params: Promise<{ id: string }> }) {
  const [context, { id }] = await Promise.all([requirePageContext(), params]);
  const connector = await getConnector(context.workspaceId, id);
  if (!connector) notFound();
  const identities = await mappedTableIdentities(context.workspaceId, id);
  const refusal = refusalMessage(context.role, context.workspaceName, 'connector.write');
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request; "now" is the request's time
  const now = Date.now();
  const stale = connector.desiredState === 'running' && (!connector.reportedAt || now - connector.reportedAt.getTime() > STALE_REPORT_MS);
  const isDemo = connector.source.endsWith(`/${DEMO_BILLING_DATABASE}`);
  return (
    <>
      <AutoRefresh />
      <PageHeader
        title={connector.name}
        description={`Change capture from ${connector.source}.`}
        actions={
          <>
            <Link href="/custom-events/business-events" className="button secondary">
              Business events
            </Link>
            {refusal ? null : <StartStopButton id={connector.id} name={connector.name} desiredState={connector.desiredState} />}
          </>
        }
      />
      {refusal ? <RefusalNote message={refusal} /> : null}
      <section className="card" aria-labelledby="connector-status-title">
        <h2 id="connector-status-title">Status</h2>
        <dl className="stats">
          <div>
            <dt>Status</dt>
            <dd>
              <ConnectorStatusBadge status={connector.status} />
            </dd>
          </div>
          <div>
            <dt>Desired state</dt>
            <dd className="small">{connector.desiredState}</dd>
          </div>
          <div>
            <dt>Lag</dt>
            <dd className="small">{formatLag(connector.lagBytes)}</dd>
          </div>
          <div>
            <dt>Last change</dt>
            <dd className="small">
              {connector.lastChangeAt ? (
                <>
                  <DateTime value={connector.lastChangeAt} relative /> ({Math.max(0, Math.round((now - connector.lastChangeAt.getTime()) / 1000)).toLocaleString('en')} s ago)
                </>
              ) : (
                'none yet'
              )}
            </dd>
          </div>
          <div>
            <dt>Changes captured</dt>
            <dd className="small">{connector.changesCaptured.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>Last report</dt>
            <dd className="small">{connector.reportedAt ? <DateTime value={connector.reportedAt} relative /> : 'never'}</dd>
          </div>
        </dl>
        {stale ? (
          <p className="note" role="note">
            No process has reported on this connector for over {STALE_REPORT_MS / 1000} s. Connectors run in the console server (npm start) and in each
            npm run worker; start one.
          </p>
        ) : null}
        {connector.lastError ? (
          <div role="alert" className="form-status error">
            <strong>Last error</strong>
            {connector.lastErrorAt ? (
              <>
                {' '}
                (<DateTime value={connector.lastErrorAt} relative />)
              </>
            ) : null}
            : {connector.lastError}
          </div>
        ) : null}
      </section>
      <section className="card" aria-labelledby="connector-tables-title">
        <h2 id="connector-tables-title">Mapped tables</h2>
        {identities.error ? (
          <p className="note" role="note">
            The replica identities could not be read: {identities.error}
          </p>
        ) : null}
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Tables the connector captures</caption>
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col">Object</th>
                <th scope="col">Columns</th>
                <th scope="col">Replica identity</th>
              </tr>
            </thead>
            <tbody>
              {connector.mappings.map((m) => {
                const identity = identities.tables.find((t) => t.table === m.table);
                return (
                  <tr key={m.table}>
                    <th scope="row">{m.table}</th>
                    <td>{m.object}</td>
                    <td className="small">
                      {Object.entries(m.columns)
                        .map(([column, field]) => `${column} → ${field}`)
                        .join(', ')}
                    </td>
                    <td className="small">
                      {identity?.identity === 'full' ? 'FULL' : identity?.identity === 'missing' ? 'unknown' : (identity?.identity ?? 'unknown').toUpperCase()}
                      {identity?.fix ? (
                        <p className="note" role="note">
                          Not FULL: UPDATE and DELETE changes of {m.table} carry no previous values beyond the key, so <code>{m.object}.Field_old</code> is
                          empty and <code>changed()</code> sees every field as changed. Run on the source: <code>{identity.fix}</code>
                        </p>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <details>
          <summary>Mappings as text</summary>
          <pre className="small">{mappingText(connector.mappings)}</pre>
        </details>
        <p className="muted small">
          Publication <code>{connector.publication}</code>, replication slot <code>{connector.slot}</code> on the source.
        </p>
      </section>
      {refusal ? null : (
        <>
          {isDemo ? (
            <section className="card" aria-labelledby="connector-activity-title">
              <h2 id="connector-activity-title">Demo activity</h2>
              <p className="muted">Drafts and posts a few invoices, pays some in full, and cancels a subscription in the demo billing database.</p>
              <GenerateActivityButton id={connector.id} />
            </section>
          ) : null}
          <section className="card" aria-labelledby="delete-connector-title">
            <h2 id="delete-connector-title">Delete this connector</h2>
            <DeleteConnectorButton id={connector.id} name={connector.name} />
          </section>
        </>
      )}
    </>
  );
}
