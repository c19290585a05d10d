import type { Metadata } from 'next';
import { ConnectorForm } from '@/components/connectors/connector-form';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';

export const metadata: Metadata = { title: 'New connector' };

export default async function NewConnectorPage() {
  const context = await requirePageContext();
  const refusal = refusalMessage(context.role, context.workspaceName, 'connector.write');
  return (
    <>
      <PageHeader
        title="New connector"
        description="The source is tested first: the connection, wal_level, the REPLICATION privilege, and every mapped table and column. Then a publication and a replication slot are created on it, so changes from now on are kept for the connector."
      />
      <section className="card">{refusal ? <RefusalNote message={refusal} /> : <ConnectorForm />}</section>
    </>
  );
}
