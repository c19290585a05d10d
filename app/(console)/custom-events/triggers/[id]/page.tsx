import { describeSchedule } from '@/lib/custom-events/date-triggers/date-schedule';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DeleteTriggerButton } from '@/components/custom-events/delete-trigger-button';
import { TriggerForm } from '@/components/custom-events/trigger-form';
import { HighlightedExpression } from '@/components/expression-editor/highlighted-expression';
import { PageHeader } from '@/components/ui/page-header';
import { RefusalNote } from '@/components/ui/refusal-note';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { getTrigger, type TriggerItem } from '@/lib/custom-events/triggers/list-triggers';

export const metadata: Metadata = { title: 'Trigger' };

export default async function TriggerPage({ params }: { params: Promise<{ id: string }> }) {
  const [context, { id }] = await Promise.all([requirePageContext(), params]);
  const trigger = await getTrigger(context.workspaceId, id);
  if (!trigger) notFound();
  const refusal = refusalMessage(context.role, context.workspaceName, 'trigger.write');
  const { createdAt: _createdAt, updatedAt: _updatedAt, ...edited } = trigger;
  return (
    <>
      <PageHeader
        title={refusal ? trigger.eventType : `Edit ${trigger.eventType}`}
        description={`Version ${trigger.version} on ${trigger.baseObject}.${refusal ? '' : ' Saving raises the version.'}`}
      />
      <section className="card">
        {refusal ? (
          <>
            <TriggerSummary trigger={trigger} />
            <RefusalNote message={refusal} />
          </>
        ) : (
          <TriggerForm trigger={edited} refusal={null} />
        )}
      </section>
      {refusal ? null : (
        <section className="card" aria-labelledby="delete-trigger-title">
          <h2 id="delete-trigger-title">Delete this trigger</h2>
          <p className="muted">Changes to {trigger.baseObject} stop becoming {trigger.eventType} events. Its saved samples go with it.</p>
          <DeleteTriggerButton id={trigger.id} eventType={trigger.eventType} />
        </section>
      )}
    </>
  );
}

/** What a viewer may read of a trigger. */
function TriggerSummary({ trigger }: { trigger: TriggerItem }) {
  return (
    <dl className="stats">
      <div>
        <dt>Base object</dt>
        <dd className="small">{trigger.baseObject}</dd>
      </div>
      <div>
        <dt>Active</dt>
        <dd className="small">{trigger.active ? 'yes' : 'no'}</dd>
      </div>
      {trigger.schedule ? (
        <div>
          <dt>Schedule</dt>
          <dd className="small">{describeSchedule(trigger.baseObject, trigger.schedule)}</dd>
        </div>
      ) : null}
      <div>
        <dt>Condition</dt>
        <dd className="small">
          <HighlightedExpression source={trigger.condition} />
        </dd>
      </div>
      <div>
        <dt>Saved samples</dt>
        <dd className="small">{trigger.samples.length}</dd>
      </div>
      {trigger.description ? (
        <div>
          <dt>Description</dt>
          <dd className="small">{trigger.description}</dd>
        </div>
      ) : null}
    </dl>
  );
}
