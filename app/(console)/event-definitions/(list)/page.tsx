import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { refusalMessage } from '@/lib/auth/permissions';
import { listDefinitions } from '@/lib/event-definitions/list-definitions';
import { requirePageContext } from '@/lib/auth/request-context';

export const metadata: Metadata = { title: 'Event Definitions' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EventDefinitionsPage({ searchParams }: { searchParams: SearchParams }) {
  const [context, search] = await Promise.all([requirePageContext(), searchParams]);
  const definitions = await listDefinitions(context.workspaceId);
  const confirmation = savedMessage(definitions, search);
  // Viewers get no links to forms they may not use; those pages explain why if reached directly.
  const canEdit = refusalMessage(context.role, context.workspaceName, 'definition.write') === null;
  return (
    <>
      <PageHeader
        title="Event Definitions"
        description="The typed shape of events: their fields, the field that identifies an event and the field that says when it happened."
        actions={
          canEdit ? (
            <Link href="/event-definitions/new" className="button">
              New definition
            </Link>
          ) : null
        }
      />
      {/* Rendered on every visit, so the region exists before the message arrives and screen readers announce it. */}
      <p role="status" aria-live="polite" className={confirmation ? 'form-status ok' : 'sr-only'}>
        {confirmation}
      </p>
      {definitions.length === 0 ? (
        <EmptyState title="No event definitions yet">
          <p>Define the fields of your events before you create a store for them.</p>
        </EmptyState>
      ) : (
        definitions.map((definition) => (
          <section key={definition.id} className="card" aria-labelledby={`def-${definition.id}`}>
            <h2 id={`def-${definition.id}`}>{definition.name}</h2>
            {definition.description ? <p className="muted">{definition.description}</p> : null}
            <p className="small">
              Version {definition.version} · Event id: <code>{definition.eventIdField}</code> · Event time:{' '}
              <code>{definition.eventTimeField}</code> · Used by: {definition.storeNames.length ? definition.storeNames.join(', ') : 'no store yet'}
            </p>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Fields of {definition.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Type</th>
                    <th scope="col">Required</th>
                    <th scope="col">Indexed</th>
                    <th scope="col">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {definition.fields.map((field) => (
                    <tr key={field.name}>
                      <th scope="row">
                        <code>{field.name}</code>
                      </th>
                      <td>{field.type}</td>
                      <td>{field.required ? 'yes' : 'no'}</td>
                      <td>{field.indexed ? 'yes' : 'no'}</td>
                      <td>{field.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {canEdit ? (
              <Link href={`/event-definitions/${definition.id}/edit`} className="button secondary">
                Edit<span className="sr-only"> {definition.name}</span>
              </Link>
            ) : null}
          </section>
        ))
      )}
    </>
  );
}

/** "Created definition X (version 1)" after the form redirected here with ?created=<id> (or ?saved=<id>). */
function savedMessage(definitions: { id: string; name: string; version: number }[], search: Record<string, string | string[] | undefined>): string | null {
  for (const [param, verb] of [['created', 'Created definition'], ['saved', 'Saved definition']] as const) {
    const definition = definitions.find((d) => d.id === search[param]);
    if (definition) return `${verb} ${definition.name} (version ${definition.version}).`;
  }
  return null;
}
