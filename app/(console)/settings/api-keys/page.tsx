import type { Metadata } from 'next';
import { CreateApiKeyForm } from '@/components/api-keys/create-api-key-form';
import { RevokeApiKeyButton } from '@/components/api-keys/revoke-api-key-button';
import { EmptyState } from '@/components/ui/empty-state';
import { DateTime } from '@/components/ui/date-time';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { listApiKeys } from '@/lib/api-keys/manage-api-keys';
import { API_SCOPES, isKnownScope } from '@/lib/api-keys/scopes';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPrisma } from '@/lib/db/prisma';

export const metadata: Metadata = { title: 'API Keys' };

export default async function ApiKeysPage() {
  const context = await requirePageContext();
  const refusal = refusalMessage(context.role, context.workspaceName, 'apiKey.manage');
  const header = (
    <PageHeader
      title="API Keys"
      description="Keys let systems call the REST API for this workspace: send events and object changes, read stores, start runs. Each key has only the scopes you give it."
    />
  );
  if (refusal) {
    return (
      <>
        {header}
        <RefusalNote message={refusal} />
      </>
    );
  }
  const keys = await listApiKeys(getPrisma(), context.workspaceId);
  return (
    <>
      {header}
      <section className="card">
        <CreateApiKeyForm scopes={Object.entries(API_SCOPES).map(([name, description]) => ({ name, description }))} />
      </section>
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">
          <p>Create one above; send it as <code>Authorization: Bearer umc_…</code>.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">API keys of this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td className="small">
                    <KeyScopes scopes={key.scopes} />
                  </td>
                  <td className="small">
                    <DateTime value={key.createdAt} relative />
                    {key.createdBy ? <div className="muted">by {key.createdBy}</div> : null}
                  </td>
                  <td className="small">{key.lastUsedAt ? <DateTime value={key.lastUsedAt} relative /> : 'never'}</td>
                  <td>
                    {key.revokedAt ? (
                      <span className="badge muted-badge">Revoked <DateTime value={key.revokedAt} relative /></span>
                    ) : (
                      <RevokeApiKeyButton id={key.id} name={key.name} />
                    )}
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

/**
 * A key's scopes; one no API uses any more (or yet) is still shown, marked, so an older key reads honestly
 * and keeps working for the scopes that do exist.
 */
function KeyScopes({ scopes }: { scopes: string[] }) {
  return scopes.map((scope, i) => (
    <span key={scope}>
      {i > 0 ? ', ' : null}
      {scope}
      {isKnownScope(scope) ? null : <span className="muted"> (no API uses it yet)</span>}
    </span>
  ));
}
