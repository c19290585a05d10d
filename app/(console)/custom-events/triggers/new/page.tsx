import type { Metadata } from 'next';
import { TriggerForm } from '@/components/custom-events/trigger-form';
import { PageHeader } from '@/components/ui/page-header';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';

export const metadata: Metadata = { title: 'New trigger' };

export default async function NewTriggerPage() {
  const context = await requirePageContext();
  return (
    <>
      <PageHeader
        title="New trigger"
        description="Choose the billing object to watch, name the business event, and write the condition a change must meet to become one."
      />
      <section className="card">
        <TriggerForm refusal={refusalMessage(context.role, context.workspaceName, 'trigger.write')} />
      </section>
    </>
  );
}
