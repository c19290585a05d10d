import type { Metadata } from 'next';
import { DefinitionForm } from '@/components/event-definitions/definition-form';
import { PageHeader } from '@/components/ui/page-header';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';

export const metadata: Metadata = { title: 'New event definition' };

export default async function NewDefinitionPage() {
  const context = await requirePageContext();
  return (
    <>
      <PageHeader
        title="New event definition"
        description="Name the fields of one kind of event. Choose the field that identifies each event and the datetime field that says when it happened."
      />
      <section className="card">
        <DefinitionForm refusal={refusalMessage(context.role, context.workspaceName, 'definition.write')} />
      </section>
    </>
  );
}
