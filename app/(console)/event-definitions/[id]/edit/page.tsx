import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DefinitionForm } from '@/components/event-definitions/definition-form';
import { PageHeader } from '@/components/ui/page-header';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getDefinition } from '@/lib/event-definitions/get-definition';

export const metadata: Metadata = { title: 'Edit event definition' };

export default async function EditDefinitionPage({ params }: { params: Promise<{ id: string }> }) {
  const [context, { id }] = await Promise.all([requirePageContext(), params]);
  const definition = await getDefinition(context.workspaceId, id);
  if (!definition) notFound();
  return (
    <>
      <PageHeader title={`Edit ${definition.name}`} description={`Version ${definition.version}. Saving raises the version.`} />
      <section className="card">
        <DefinitionForm definition={definition} refusal={refusalMessage(context.role, context.workspaceName, 'definition.write')} />
      </section>
    </>
  );
}
