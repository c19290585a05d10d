'use client';

import Link from 'next/link';
import { startTransition, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useFocusFirstInvalid } from '@/components/ui/use-focus-first-invalid';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { createTriggerAction, updateTriggerAction } from '@/app/(console)/custom-events/actions';
import { DateScheduleFields, DEFAULT_SCHEDULE, TriggerKindField, type ScheduleDraft } from '@/components/custom-events/date-schedule-fields';
import { ConditionSimulator } from '@/components/custom-events/condition-simulator';
import { TestBench } from '@/components/custom-events/test-bench';
import { ExpressionEditor } from '@/components/expression-editor/expression-editor';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
import { RefusalNote } from '@/components/ui/refusal-note';
import { TextField } from '@/components/ui/text-field';
import type { ActionResult } from '@/lib/actions/action-result';
import { conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import type { TriggerKind } from '@/lib/custom-events/date-triggers/date-schedule';
import { BILLING_OBJECTS } from '@/lib/custom-events/object-model';
import { conditionRefusal, triggerFormErrors } from '@/lib/custom-events/triggers/check-condition';
import type { TriggerItem } from '@/lib/custom-events/triggers/list-triggers';
import type { TriggerSample } from '@/lib/custom-events/triggers/trigger-schema';

/** A saved trigger to edit; absent when creating one. */
export type EditedTrigger = Omit<TriggerItem, 'createdAt' | 'updatedAt'>;

/** Creates or edits a trigger; viewers see why they may not instead. */
export function TriggerForm({ trigger, refusal }: { trigger?: EditedTrigger; refusal: string | null }) {
  if (refusal) return <RefusalNote message={refusal} />;
  return <TriggerEditor trigger={trigger} />;
}

function TriggerEditor({ trigger }: { trigger?: EditedTrigger }) {
  const [state, dispatch, pending] = useWorkspaceActionState(trigger ? updateTriggerAction : createTriggerAction, null, {
    success: trigger ? 'Trigger saved.' : 'Trigger created.',
  });
  const [eventType, setEventType] = useState(trigger?.eventType ?? '');
  const [baseObject, setBaseObject] = useState(trigger?.baseObject ?? 'Invoice');
  const [description, setDescription] = useState(trigger?.description ?? '');
  const [active, setActive] = useState(trigger?.active ?? true);
  const [kind, setKind] = useState<TriggerKind>(trigger?.kind ?? 'change');
  const [schedule, setSchedule] = useState<ScheduleDraft>(trigger?.schedule ? { ...trigger.schedule, days: String(trigger.schedule.days) } : DEFAULT_SCHEDULE);
  // The test bench (TEST BENCH below) reads the condition as it is typed, and edits the samples, which are
  // saved with the trigger (hidden input "samples") as its regression cases.
  const [condition, setCondition] = useState(trigger?.condition ?? '');
  const [samples, setSamples] = useState<TriggerSample[]>(trigger?.samples ?? []);
  const [localErrors, setLocalErrors] = useState<Record<string, string[]> | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const hydrated = useSyncExternalStore(subscribeNever, () => true, () => false);
  // The editor's schema follows the base object chosen above it.
  const schema = useMemo(() => conditionSchemaFor(baseObject), [baseObject]);
  const described = BILLING_OBJECTS.find((o) => o.name === baseObject)?.description;

  // The same rules as the server run before sending, so most mistakes show without a round trip.
  const shown = useMemo<ActionResult<unknown> | null>(
    () => (localErrors ? { ok: false, message: localMessage(localErrors), fieldErrors: localErrors } : state),
    [localErrors, state],
  );
  useFocusFirstInvalid(formRef, shown);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    // Dispatched by hand rather than through the form's action: React resets a form after its action,
    // which would throw the base object select back to its first option and the editor out of step.
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const errors = triggerFormErrors(Object.fromEntries(form));
    setLocalErrors(errors);
    if (!errors) startTransition(() => dispatch(form));
  }

  return (
    <form ref={formRef} onSubmit={submit} className="form trigger-form" aria-label={trigger ? `Edit ${trigger.eventType}` : 'New trigger'} noValidate>
      {trigger ? (
        <>
          <input type="hidden" name="id" value={trigger.id} />
          <input type="hidden" name="expectedVersion" value={trigger.version} />
        </>
      ) : null}
      <div className="field">
        <label htmlFor="trigger-base-object">Base object</label>
        <select
          id="trigger-base-object"
          name="baseObject"
          value={baseObject}
          onChange={(e) => {
            setBaseObject(e.target.value);
            setSchedule((current) => ({ ...current, dateField: '' }));
          }}
          aria-invalid={fieldInvalid(shown, 'baseObject')}
          aria-describedby="trigger-base-object-hint trigger-base-object-error"
        >
          {BILLING_OBJECTS.map((o) => (
            <option key={o.name} value={o.name}>
              {o.name}
            </option>
          ))}
        </select>
        <p id="trigger-base-object-hint" className="hint">
          The object whose changes the condition sees{described ? `: ${described}` : '.'}
        </p>
        <FieldError id="trigger-base-object-error" state={shown} field="baseObject" />
      </div>
      <TextField
        id="trigger-event-type"
        name="eventType"
        label="Event type"
        required
        maxLength={64}
        placeholder="InvoicePosted"
        hint="The business event a matching change becomes, e.g. InvoicePosted: a capital letter, then letters, digits or _ (3-64 characters)."
        state={shown}
        keepValue={false}
        value={eventType}
        onChange={(e) => setEventType(e.target.value)}
      />
      <TextField id="trigger-description" name="description" label="Description (optional)" maxLength={500} state={shown} keepValue={false} value={description} onChange={(e) => setDescription(e.target.value)} />
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" name="active" checked={active} onChange={(e) => setActive(e.target.checked)} aria-describedby="trigger-active-hint" /> Active
        </label>
        <p id="trigger-active-hint" className="hint">
          Only active triggers turn changes into business events.
        </p>
      </div>
      <TriggerKindField kind={kind} onChange={setKind} />
      {kind === 'date' ? <DateScheduleFields baseObject={baseObject} value={schedule} onChange={setSchedule} state={shown} /> : null}
      <ExpressionEditor name="condition" label={kind === 'date' ? 'Condition (optional)' : 'Condition'} schema={schema} requireBoolean defaultValue={trigger?.condition ?? ''} describedBy="condition-error" invalid={fieldInvalid(shown, 'condition')} onChange={setCondition} />
      <FieldError id="condition-error" state={shown} field="condition" />

      {/* The bench starts afresh when the base object changes: its fields are that object's. */}
      <TestBench key={baseObject} schema={schema} condition={condition} samples={samples} onSamplesChange={setSamples} />
      <input type="hidden" name="samples" value={JSON.stringify(samples)} />
      <SampleErrors state={shown} />
      {kind === 'change' ? <ConditionSimulator baseObject={baseObject} condition={condition} /> : null}

      <FormStatus state={shown} />
      <div className="actions-row">
        {/* Enabled once hydrated: before that a click would submit the form natively, without the checks. */}
        <button type="submit" className="button" disabled={pending || !hydrated}>
          {pending ? 'Saving…' : trigger ? 'Save changes' : 'Create trigger'}
        </button>
        <Link href="/custom-events">Cancel</Link>
      </div>
    </form>
  );
}

const subscribeNever = () => () => undefined;

/** The server's words for the same refusal. */
function localMessage(errors: Record<string, string[]>): string {
  const keys = Object.keys(errors);
  return keys.length === 1 && errors.condition ? conditionRefusal(errors.condition.length) : 'Some fields need attention.';
}

/** Errors of the samples (keyed samples.3.changeType), each naming its sample. */
function SampleErrors({ state }: { state: ActionResult<unknown> | null }) {
  const entries = state && !state.ok ? Object.entries(state.fieldErrors).filter(([key]) => key === 'samples' || key.startsWith('samples.')) : [];
  if (!entries.length) return null;
  return (
    <ul id="samples-error" className="field-error">
      {entries.flatMap(([key, messages]) => {
        const index = Number(key.split('.')[1]);
        const prefix = Number.isInteger(index) ? `Sample ${index + 1}: ` : '';
        return messages.map((message) => <li key={`${key}:${message}`}>{prefix + message}</li>);
      })}
    </ul>
  );
}
